"""A typo at an amount question is re-asked like any unreadable answer, never a crashed turn.

A number of 27 or more digits used to raise inside `round(Decimal)`; the resident got "系统繁忙"
for what is only a typo. The questionnaire is walked with "不知道" until it asks the income.
"""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot.engine import Engine, Message
from bot.knowledge import KnowledgeBase
from bot.services import Services, build_services
from bot.settings import Settings

AMOUNT_STEP = "income"


async def walk_to_the_amount(engine: Engine, services: Services, user: str) -> None:
    """Start 自测, consent, and answer 不知道 until the income question is asked."""
    for text in ("自测", "同意"):
        await engine.handle(Message(user=user, text=text))
    for _ in range(30):
        state = (await services.sessions.load(user)).flow
        assert state is not None
        if state.step.partition(":")[0] == AMOUNT_STEP:
            return
        await engine.handle(Message(user=user, text="不知道"))
    pytest.fail("the income question was never asked")


@pytest.mark.parametrize("typo", ["1" * 27, "9" * 40, "1" * 26 + "万", "1" * 30 + ".5"])
async def test_a_huge_amount_is_re_asked(typo: str, redis_client: aioredis.Redis) -> None:
    services = build_services(Settings(_env_file=None), redis=redis_client,
                              knowledge=KnowledgeBase.from_directory())
    engine = Engine(services)
    await walk_to_the_amount(engine, services, "oTypo")
    reply = "\n".join(r.text for r in await engine.handle(Message(user="oTypo", text=typo)))
    after = (await services.sessions.load("oTypo")).flow
    assert after is not None and after.step.partition(":")[0] == AMOUNT_STEP  # asked again
    assert reply and reply != services.templates.render("chat/busy.txt")
