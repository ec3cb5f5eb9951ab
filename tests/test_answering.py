"""Outside a flow, a message that is mainly someone's number gets a hint and is never kept."""

from __future__ import annotations

import pytest

from bot.dialogs import default_flows
from bot.engine import Engine, Message
from bot.knowledge import Answer
from bot.knowledge.misses import list_misses
from bot.services import Services


class FallbackKnowledge:
    """Never answers: whatever reaches it would be recorded as a miss."""

    def ask(self, question: str) -> Answer:
        return Answer("fallback", None, None, (), 10.0, ())


@pytest.fixture
def engine(services: Services) -> Engine:
    services.knowledge = FallbackKnowledge()  # type: ignore[assignment]
    return Engine(services, default_flows())


@pytest.mark.parametrize("text", ["13812345678", "我的电话 138 1234 5678", "幺三八 幺二三四 五六七八",
                                  "0889-6123456", "身份证530428199001011234"])
async def test_a_number_gets_a_hint_and_is_no_miss(engine: Engine, services: Services, text: str) -> None:
    [reply] = await engine.handle(Message(user="u1", text=text))
    assert reply.source == "chat/number_hint.txt"
    assert "5678" not in reply.text and "1234" not in reply.text  # never echoed
    assert "1. " in reply.text  # the menu, so a number now picks from it
    assert await list_misses(services.redis, services.sealer) == []


async def test_a_question_with_a_number_is_kept_masked(engine: Engine, services: Services) -> None:
    await engine.handle(Message(user="u1", text="幺三八幺二三四五六七八 这个号码能不能查低保进度呢"))
    [miss] = await list_misses(services.redis, services.sealer)
    assert "<NUMBER>" in miss.question and "五六七八" not in miss.question


async def test_danger_with_a_phone_still_gets_the_numbers(engine: Engine) -> None:
    replies = await engine.handle(Message(user="u1", text="我不想活了 13812345678"))
    assert replies[0].source == "chat/safety/danger.txt" and "12356" in replies[0].text


async def test_a_command_with_a_number_is_still_the_command(engine: Engine, services: Services) -> None:
    replies = await engine.handle(Message(user="u1", text="转人工 回我电话 13812345678"))
    assert replies[0].source != "chat/number_hint.txt"
    assert await list_misses(services.redis, services.sealer) == []
