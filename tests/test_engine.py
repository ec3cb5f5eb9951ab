"""The engine's global commands, flow driving, paging, asides and expiry, on real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.dialogs import default_flows
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.menu import default_entries
from bot.engine import Engine, Message
from bot.knowledge import Answer, Candidate
from bot.phonebook import phonebook
from bot.services import Services
from bot.sessions import Session


class CountFlow(Flow):
    """Asks a name, then a count (where 0 is an answer), then finishes."""

    name = "count"
    first_step = "name"
    resumable = True

    async def prompt(self, ctx: Context) -> list[Reply]:
        return [Reply(f"ASK {ctx.state.step}")]

    async def handle(self, ctx: Context, text: str) -> Turn:
        if ctx.state.step == "name":
            ctx.state.data["name"] = text
            return Turn([Reply("ASK count")], next_step="count")
        if not text.isdigit():
            return Turn([Reply(f"HINT tries={ctx.state.tries}")], next_step="count", invalid=True)
        return Turn([Reply(f"DONE {ctx.state.data['name']} {text}")], next_step=None)

    def takes_number(self, step: str) -> bool:
        return step == "count"


class StubKnowledge:
    def ask(self, question: str) -> Answer:
        if "低保" in question:
            return Answer("answer", "低保答案", "dibao", (1,), 95.0, ())
        if "申请" in question:
            cands = (Candidate("a", "问题甲", (1,), 70.0), Candidate("b", "问题乙", (2,), 65.0))
            return Answer("clarify", None, None, (), 70.0, cands)
        return Answer("fallback", None, None, (), 10.0, ())

    def answer_entry(self, entry_id: str) -> Answer:
        return Answer("answer", f"答案{entry_id}", entry_id, (1,), 100.0, ())


@pytest.fixture
def engine(services: Services) -> Engine:
    services.knowledge = StubKnowledge()  # type: ignore[assignment]
    flows = default_flows()
    flows["count"] = CountFlow()
    return Engine(services, flows)


async def say(engine: Engine, text: str, user: str = "u1", page: int | None = None) -> str:
    return "\n".join(r.text for r in await engine.handle(Message(user=user, text=text), page))


async def answered(engine: Engine, text: str, user: str = "u1") -> list[str | None]:
    """Which templates or entries answered `text` (the wording is the templates' business)."""
    return [r.source for r in await engine.handle(Message(user=user, text=text))]


CONTACT = ["chat/contact.txt"]


class Unavailable(CountFlow):
    name = "report"

    def is_available(self, services: Services) -> bool:
        return False


async def test_welcome_lists_only_available_flows(services: Services) -> None:
    flows = {**default_flows(), "report": Unavailable()}
    engine = Engine(services, flows)
    text = "\n".join(r.text for r in await engine.handle(Message(user="u1", key="welcome")))
    assert [e.key for e in engine.menu] == [e.key for e in default_entries() if e.key != "report"]
    assert all(f"{n}. {entry.label}" in text for n, entry in enumerate(engine.menu, 1))
    report_label = next(e.label for e in default_entries() if e.key == "report")
    assert report_label not in text


async def test_menu_number_and_words_start_flows(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="welcome"))
    position = [e.key for e in engine.menu].index("contact") + 1
    assert await answered(engine, str(position)) == CONTACT
    await say(engine, "菜单")
    assert await answered(engine, "联系我们") == CONTACT


async def test_flow_runs_to_the_end(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    assert await say(engine, "老王") == "ASK count"
    assert await say(engine, "3") == "DONE 老王 3"


async def test_zero_is_an_answer_where_a_step_takes_numbers(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await say(engine, "0") == "DONE 老王 0"


async def test_zero_means_menu_elsewhere(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    await say(engine, "退出")
    assert await answered(engine, "0") == ["chat/menu.txt"]


async def test_back_goes_one_step(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await say(engine, "返回") == "ASK name"
    assert await answered(engine, "上一步") == ["chat/first_step.txt", None]  # then the first question


async def test_restart_clears_answers(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await say(engine, "重新开始") == "ASK name"
    await say(engine, "老李")
    assert await say(engine, "5") == "DONE 老李 5"


async def test_menu_help_and_human_from_inside_a_flow(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await answered(engine, "帮助") == ["chat/help.txt", "chat/continue.txt"]  # the flow goes on
    human = await say(engine, "人工")
    assert phonebook()["government"].number in human  # HOTLINE unset: the government's, not 12349
    assert await answered(engine, "菜单") == ["chat/menu.txt"]
    assert await answered(engine, "联系我们") == CONTACT  # no longer inside the flow: the menu works


async def test_exit_then_resume(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await answered(engine, "退出") == ["chat/exit.txt"]
    resumed = await engine.handle(Message(user="u1", text="继续"))
    assert [r.source for r in resumed] == ["chat/continue.txt"] and resumed[-1].text.endswith("ASK count")
    assert await say(engine, "2") == "DONE 老王 2"
    assert await answered(engine, "继续") == ["chat/nothing_to_resume.txt", "chat/menu.txt"]


async def test_invalid_answer_counts_tries(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await say(engine, "好多") == "HINT tries=0"
    assert await say(engine, "很多") == "HINT tries=1"


async def test_policy_question_mid_flow_then_resume(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    aside = await engine.handle(Message(user="u1", text="低保是什么"))
    assert [r.source for r in aside] == ["faq:dibao", "chat/continue.txt"]
    assert aside[0].text == "低保答案" and aside[-1].text.endswith("ASK count")
    assert await say(engine, "4") == "DONE 老王 4"


async def test_clarify_then_pick_a_number(engine: Engine) -> None:
    [clarify] = await engine.handle(Message(user="u1", text="怎么申请"))
    assert clarify.source == "chat/clarify.txt" and "1. 问题甲" in clarify.text
    assert await say(engine, "2") == "答案b"


async def test_fallback_offers_menu_and_hotline(engine: Engine) -> None:
    text = await say(engine, "明天天气怎么样")
    assert phonebook()["government"].number in text and "1. " in text
    assert "12349" not in text  # an unconfirmed hotline is never shown as the county's number


async def test_long_reply_pages_with_more(engine: Engine, services: Services) -> None:
    long_text = "".join(f"第{i}段政策说明内容。\n" for i in range(400))
    engine.flows["long"] = _Long(long_text)
    first = await engine.handle(Message(user="u1", key="long"), 2000)
    assert len(first) == 1 and len(first[0].text.encode()) <= 2000
    hint = "\n" + services.templates.render("chat/more_hint.txt")
    assert first[0].text.endswith(hint)
    pages = [first[0].text]
    for _ in range(20):
        reply = await engine.handle(Message(user="u1", text="更多"), 2000)
        assert len(reply[0].text.encode()) <= 2000
        pages.append(reply[0].text)
        if not reply[0].text.endswith(hint):
            break
    assert "".join(p.replace(hint, "") for p in pages) == long_text.strip()


class _Long(Flow):
    name = "long"

    def __init__(self, text: str) -> None:
        self.text = text

    async def start(self, ctx: Context) -> Turn:
        return Turn([Reply(self.text.strip())], next_step=None)


async def test_state_is_sealed_with_ttl(engine: Engine, services: Services) -> None:
    await engine.handle(Message(user="oSecretOpenId", key="count"))
    await say(engine, "王秀英", user="oSecretOpenId")
    keys = [k async for k in services.redis.scan_iter()]
    assert keys
    for key in keys:
        assert b"oSecretOpenId" not in key
        assert 0 < await services.redis.ttl(key) <= services.settings.resume_ttl
        kind = await services.redis.type(key)
        value = (await services.redis.get(key) if kind == b"string"
                 else repr(await services.redis.lrange(key, 0, -1)).encode())  # rate-limit windows
        assert "王秀英".encode() not in value and b"oSecretOpenId" not in value
    session_key = next(k for k in keys if k.startswith(b"sess:"))
    assert await services.redis.ttl(session_key) <= services.settings.session_ttl


async def test_session_expiry_starts_over(engine: Engine, services: Services) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    async for key in services.redis.scan_iter("sess:*"):
        await services.redis.pexpire(key, 1)
    await asyncio.sleep(0.05)
    assert await say(engine, "3") != "DONE 老王 3"  # the flow is gone with the session


async def test_users_do_not_share_state(engine: Engine) -> None:
    await engine.handle(Message(user="a", key="count"))
    await say(engine, "甲", user="a")
    await engine.handle(Message(user="b", key="count"))
    await say(engine, "乙", user="b")
    assert await say(engine, "1", user="a") == "DONE 甲 1"
    assert await say(engine, "2", user="b") == "DONE 乙 2"


async def test_empty_text_asks_to_type(engine: Engine) -> None:
    assert await answered(engine, "   ") == ["chat/empty.txt"]


async def test_greetings_and_thanks_are_not_questions(engine: Engine, services: Services) -> None:
    assert await answered(engine, "你好") == ["chat/welcome.txt"]
    assert await answered(engine, "谢谢！") == ["chat/thanks.txt"]
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    assert await answered(engine, "在吗") == ["chat/greet_in_flow.txt", "chat/continue.txt"]
    assert [k async for k in services.redis.scan_iter("kb:miss:*")] == []


async def test_a_new_question_replaces_the_numbered_choices(engine: Engine) -> None:
    assert await answered(engine, "怎么申请") == ["chat/clarify.txt"]
    assert await answered(engine, "低保是什么") == ["faq:dibao"]
    assert await answered(engine, "联系我们") == CONTACT  # not 问题甲/乙 from the old list
    await say(engine, "怎么申请")
    await say(engine, "低保是什么")
    assert await answered(engine, "1") != ["faq:a"]  # "1" now means the main menu's first entry


async def test_a_sentence_containing_a_menu_label_is_a_question(engine: Engine) -> None:
    await engine.handle(Message(user="u1", key="welcome"))
    assert await answered(engine, "联系我们的电话是不是低保的热线") == ["faq:dibao"]
    assert await answered(engine, "联系我们") == CONTACT


async def test_danger_comes_first_mid_flow_and_the_flow_is_kept(engine: Engine, services: Services) -> None:
    await engine.handle(Message(user="u1", key="count"))
    await say(engine, "老王")
    [reply] = await engine.handle(Message(user="u1", text="我老伴突然晕倒了，叫不醒"))
    assert reply.source == "chat/safety/danger.txt" and "120" in reply.text.splitlines()[1]
    assert await say(engine, "继续") == "我们继续：\nASK count"
    assert await say(engine, "3") == "DONE 老王 3"
    [key] = [k async for k in services.redis.scan_iter("safety:danger:*")]
    counts = await services.redis.hgetall(key)
    assert counts == {b"medical": b"1"}


async def test_danger_gets_the_numbers_even_when_storage_is_down(engine: Engine) -> None:
    from bot import clock
    from bot.errors import StorageUnavailable
    from bot.safety.counts import PENDING, flush
    from bot.storage import connect
    from bot.turns import TurnQueue

    # The turn (which reads the session) reaches a Redis that is not there.
    engine.services.turns = TurnQueue(connect("redis://127.0.0.1:1/0", 0.2), engine.services.sealer)
    PENDING.clear()
    replies = await engine.handle(Message(user="u1", text="我不想活了"))
    assert "12356" in replies[0].text
    assert dict(PENDING) == {(clock.today().isoformat(), "suicide_self"): 1}  # counted, to send later
    await flush(engine.services.redis)
    [key] = [k async for k in engine.services.redis.scan_iter("safety:danger:*")]
    assert await engine.services.redis.hgetall(key) == {b"suicide_self": b"1"}
    with pytest.raises(StorageUnavailable):
        await engine.handle(Message(user="u1", text="低保是什么"))


async def test_the_session_rides_in_the_turn_scripts(
    engine: Engine, services: Services, redis_commands: Callable[[], list[tuple[object, ...]]]
) -> None:
    """A turn reads and writes the session inside the turn queue's two scripts: no GET or SET of
    its own, since every round trip costs each message client CPU."""
    await say(engine, "菜单")  # there is a session from now on
    key = services.sessions.key("u1")
    sent = redis_commands()
    await say(engine, "张三")
    assert sent and not [a for a in sent if a[0] in ("GET", "SET") and key in a]
    assert [a for a in sent if a[0] == "EVALSHA" and key in a]  # the scripts name the session
    assert await services.sessions.load("u1") != Session()  # and it was saved
