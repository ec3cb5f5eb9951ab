"""The referral directory: the right office for what this account does not do, and honest replies."""

from __future__ import annotations

import pytest

from bot.engine import Engine, Message
from bot.referrals import check_referrals, find
from bot.services import Services


@pytest.mark.parametrize("text,rid", [
    ("身份证掉了咋个补办", "hukou-id"), ("结婚登记要带哪样", "marriage"), ("养老金什么时候发", "pension"),
    ("老板欠我工资不给", "wages"), ("退伍军人有什么优待", "veterans"), ("shen fen zheng diu le", "hukou-id"),
])
def test_find(text: str, rid: str) -> None:
    found = find(text)
    assert found is not None and found.id == rid


def test_chit_chat_and_weather_have_no_referral() -> None:
    assert find("明天天气怎么样") is None and find("低保怎么申请") is None


def test_only_known_numbers_are_given() -> None:
    assert find("不知道找哪个部门 修路的事").phone == "12345"
    assert find("身份证掉了").phone == ""
    assert check_referrals() == []


async def test_off_topic_gets_the_place_and_a_truthful_note(services: Services) -> None:
    engine = Engine(services)
    reply = "\n".join(r.text for r in await engine.handle(Message(user="r1", text="身份证掉了咋个补办")))
    assert "派出所" in reply and "交给工作人员" not in reply and "已记下" in reply
    assert [k async for k in services.redis.scan_iter("kb:miss:*")]  # it really was recorded


async def test_the_fallback_never_claims_a_record_it_did_not_keep(services: Services) -> None:
    async def fail(question: str, status: str) -> bool:
        return False

    services.record_miss = fail  # type: ignore[method-assign]
    replies = await Engine(services).handle(Message(user="r2", text="明天天气怎么样"))
    reply = "\n".join(r.text for r in replies)
    assert "回答不了" in reply and "已记下" not in reply and "交给工作人员" not in reply
