"""Which question comes next: the framing questions first, then the one the rules rank first."""

from __future__ import annotations

from datetime import date

import redis.asyncio as aioredis

from bot.dialogs.screening_household import TOGETHER, build
from bot.dialogs.screening_needs import ALWAYS, BENIGN, need, next_step, steps
from bot.services import build_services
from bot.settings import Settings
from tests.dialogs.test_screening import Chat, start

TODAY = date(2025, 8, 1)
FRAMED = {
    "place": {"hukou": "yuanjiang", "area": "rural"},
    "age": 72,
    "household": {"members": [{"relation": "grandchild", "word": "孙子", "age": 9, "away": False}],
                  "gone": []},
    "health": {"disability": False, "illness": False},
}


def test_framing_questions_come_first_in_order() -> None:
    assert next_step({"place": FRAMED["place"]}, TODAY) == "age"
    assert next_step({k: FRAMED[k] for k in ("place", "age")}, TODAY) == "household"


def test_after_the_framing_the_question_the_rules_rank_first_is_asked() -> None:
    answers = dict(FRAMED)
    asked = []
    for _ in range(12):
        step = next_step(answers, TODAY)
        if step is None:
            break
        draft = build(answers, TODAY)
        assert step.partition(":")[0] not in ALWAYS and step in steps(draft)
        if not asked:  # an elderly carer of a grandchild: first what settles 特困 or 低保 (PRIORITY 0, 1)
            rank = need(answers, step, TODAY)
            assert rank is not None and rank[1] in (0, 1), (step, rank)
        asked.append(step)
        topic = step.partition(":")[0]
        answers[step] = BENIGN[topic](draft) if topic in BENIGN else _together(step, draft)
    assert asked and "hardship" not in asked[:2]  # emergencies (临时救助 only) come later
    assert next_step(answers, TODAY) is None


def _together(step: str, draft: object) -> object:
    return {part: BENIGN[part](draft) for part in TOGETHER.get(step, ())} or None


async def test_a_correction_naming_a_member_and_an_age_changes_the_household(
        redis_client: aioredis.Redis) -> None:
    chat = Chat(build_services(Settings(_env_file=None), redis=redis_client))
    await start(chat, "元江农村", "五十五", "老伴五十三 儿子二十")
    await chat.until("earnings")
    await chat("老伴种地 一个月五六百")
    await chat("搞错了 老伴不是五十三 是五十六")
    answers = await chat.answers()
    assert answers["household"]["members"][0]["age"] == 56
    assert answers["earnings"]["income"]["low"] == 500  # the income is left as it was
    await chat("老伴一个月挣的是七百 不是五六百")
    assert (await chat.answers())["earnings"]["income"]["low"] == 700
