"""A typo at an amount question is re-asked like any unreadable answer, never a crashed turn.

A number of 27 or more digits used to raise inside `round(Decimal)`; the resident got "系统繁忙"
for what is only a typo. The questionnaire is walked with plain answers until it asks an amount.
"""

from __future__ import annotations

import pytest
from fakeredis import FakeAsyncRedis

from bot.dialogs.screening_questions import questionnaire
from bot.engine import Engine, Message
from bot.knowledge import KnowledgeBase
from bot.services import build_services
from bot.settings import Settings

PLAIN_ANSWERS = {"choice": "1", "years": "没有", "age": "45", "member": "没有了", "multi": "没有",
                 "members": "没有", "workers": "没有", "yes_no": "没有", "count": "1"}


@pytest.mark.parametrize("typo", ["1" * 27, "9" * 40, "1" * 26 + "万", "1" * 30 + ".5"])
async def test_a_huge_amount_is_re_asked(typo: str) -> None:
    services = build_services(Settings(_env_file=None), redis=FakeAsyncRedis(),
                              knowledge=KnowledgeBase.from_directory())
    engine = Engine(services)

    async def say(text: str) -> str:
        return "\n".join(r.text for r in await engine.handle(Message(user="oTypo", text=text)))

    await say("自测")
    await say("同意")
    for _ in range(30):
        state = (await services.sessions.load("oTypo")).flow
        assert state is not None and questionnaire().is_question(state.step), state
        question, _ = questionnaire().question(state.step)
        if question.kind in ("money", "monthly_money"):
            break
        await say(PLAIN_ANSWERS[question.kind])
    else:
        pytest.fail("no amount question reached")
    reply = await say(typo)
    after = (await services.sessions.load("oTypo")).flow
    assert after is not None and after.step == state.step and after.tries == state.tries + 1  # asked again
    assert question.hint.splitlines()[0] in reply
    assert reply != services.templates.render("chat/busy.txt")
