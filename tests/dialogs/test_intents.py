"""Intents in the resident's own words, at any step; the independent dev set through Engine.route."""

from __future__ import annotations

import pytest

from bot.dialogs.evaluate_intents import ACCURACY_MIN, evaluate, load_devset, referral_share
from bot.dialogs.intents import check_intents, trained_intents
from bot.engine import Engine, Message
from bot.services import Services
from bot.sessions import FlowState, Session


@pytest.fixture
def engine(services: Services) -> Engine:
    return Engine(services)


def route(engine: Engine, text: str, flow: str | None = None, step: str | None = None) -> str:
    return engine.route(Session(flow=FlowState(name=flow, step=step) if flow and step else None), text)


def test_accuracy_on_the_development_set(engine: Engine) -> None:
    cases = load_devset()
    assert len(cases) >= 300
    assert trained_intents().model is not None  # the engine's intents, with their second stage
    result = evaluate(engine, cases)
    assert result.accuracy >= ACCURACY_MIN, f"accuracy {result.accuracy:.3f}"
    right, placed, wrong, _ = referral_share(cases)
    assert right / placed >= 0.8 and wrong == 0


@pytest.mark.parametrize("text,where,expected", [
    ("我想测一下我家能得哪些补助", None, "flow:screening"),
    ("自测是什么", None, "question"),  # a question about it, not the command
    ("删除我的信息", ("screening", "age"), "flow:delete_data"),  # at any step
    ("我不想删除", ("delete_data", "confirm"), "to_flow"),  # an answer there
    ("不办了", ("screening", "consent"), "to_flow"),  # "no" at a yes/no question
    ("不填了", ("application", "name"), "command:exit"),
    ("帮我转人工", ("screening", "age"), "command:human"),
    ("不用转人工 我会填", ("application", "name"), "to_flow"),
    ("好的", ("screening", "consent"), "to_flow"),  # may be the yes
    ("你是机器人吗", None, "chat:bot"),
    ("隔壁老奶一个人住 没人照顾", None, "offer:report"),
    ("0", ("screening", "age"), "to_flow"),
])
def test_routes(engine: Engine, text: str, where: tuple[str, str] | None, expected: str) -> None:
    assert route(engine, text, *(where or (None, None))) == expected


async def test_chit_chat_gets_a_short_friendly_reply(engine: Engine, services: Services) -> None:
    for text, word in (("你是机器人吗", "自动"), ("拜拜", "再见"), ("哈哈", "😊"), ("好的", "好的")):
        reply = "\n".join(r.text for r in await engine.handle(Message(user="c1", text=text)))
        assert word in reply and "回答不了" not in reply
    assert [k async for k in services.redis.scan_iter("kb:miss:*")] == []


async def test_a_described_neighbour_is_offered_the_report(engine: Engine, services: Services) -> None:
    async def say(text: str) -> str:
        return "\n".join(r.text for r in await engine.handle(Message(user="n1", text=text)))

    assert "报告给乡镇" in await say("我们寨子有个老奶一个人住，没人照顾，房子还漏雨")
    started = await say("是")
    assert "您要报告的是谁" in started
    await say("寨子里的李老奶")
    await say("2")
    assert "留一个您的电话" in await say("新寨村")  # what was seen is already known: not asked again


def test_the_intents_file_checks_clean() -> None:
    assert check_intents() == []
