"""`报告困难群众` driven through the engine, on the suite's Redis with the real application store."""

from __future__ import annotations

import re

import pytest
import redis.asyncio as aioredis

from bot.application.model import Status
from bot.dialogs.report import REFERENCE_ALPHABET, mentions_danger, parse_phone, reference_number
from bot.engine import Engine, Message
from bot.services import Services, build_services
from bot.settings import Settings

USER = "openid-reporter"
YANGJIE = "530428002"
REFERENCE = re.compile(rf"编号：([{REFERENCE_ALPHABET}]{{8}})")


@pytest.fixture
def report_services(redis_client: aioredis.Redis) -> Services:
    settings = Settings(app_env="test", staff_users="s:530428002:scrypt$1$1$1$00$00",
                        emergency_numbers="110,120", _env_file=None)
    services = build_services(settings, redis=redis_client)
    return services


@pytest.fixture
def say(report_services):
    engine = Engine(report_services)

    async def send(text: str, user: str = USER) -> str:
        return "\n".join(reply.text for reply in await engine.handle(Message(user=user, text=text)))

    return send


@pytest.fixture
def answered(report_services):
    """Which templates answered (the wording is the templates' business)."""
    engine = Engine(report_services)

    async def send(text: str, user: str = USER) -> list[str | None]:
        return [reply.source for reply in await engine.handle(Message(user=user, text=text))]

    return send


def asks(step: str) -> str:
    return f"chat/report/{step}.txt"


async def test_full_report_reaches_the_township_queue(report_services, say, answered) -> None:
    assert await answered("报告困难群众") == [asks("intro"), asks("who")]
    township_list = await say("村里独居的王大爷，七十多岁")
    assert "1. 那诺乡" in township_list and "2. 羊街乡" in township_list
    assert await answered("2") == [asks("village")]
    assert await answered("新寨村") == [asks("what")]
    assert await answered("房子漏雨，腿脚不方便，没人照顾") == [asks("contact")]
    confirm = await say("跳过")
    assert "王大爷" in confirm and "羊街乡 新寨村" in confirm and "不留" in confirm
    done = await say("是")
    reference = REFERENCE.search(done).group(1)
    assert "羊街乡" in done and "110" not in done  # no danger mentioned: no emergency lines

    [record] = await report_services.applications.for_township(YANGJIE)
    assert record.kind == "report" and record.status == Status.HANDED_TO_TOWNSHIP
    assert record.user_key == report_services.sealer.pseudonym(USER)
    assert record.payload["reference"] == reference and reference not in record.id
    assert record.payload["who"] == "村里独居的王大爷，七十多岁"
    assert record.payload["village"] == "新寨村" and record.payload["contact"] is None
    assert record.payload["urgent"] is False
    assert [r.id for r in await report_services.applications.for_user(USER)] == [record.id]
    assert await report_services.applications.for_township("530428001") == []


async def test_menu_words_start_the_flow(answered) -> None:
    assert await answered("我要报告") == [asks("intro"), asks("who")]


async def test_danger_words_show_emergency_numbers_at_once(report_services, say) -> None:
    await say("报告困难群众")
    await say("隔壁的老奶奶")
    await say("1")
    await say("不知道")
    answer = await say("老人好几天没吃饭了，躺在床上快不行了")
    assert "☎ 120" in answer
    assert answer.index("☎ 120") < answer.index("留一个您的电话")  # before the next question
    await say("0877-1234567")
    done = await say("是")
    assert "110、120" in done  # repeated with the reference number
    [record] = await report_services.applications.for_township("530428001")
    assert record.payload["urgent"] is True and record.payload["village"] is None
    assert record.payload["contact"] == "0877-1234567"


async def test_danger_in_any_answer_gets_the_numbers_and_the_report_goes_on(say, answered) -> None:
    await say("报告困难群众")
    first = await say("邻居说他想不开要自杀")
    assert "12356" in first and await answered("1") == [asks("village")]  # the township was asked
    await say("新寨村")
    again = await say("他说不想活了，几天没吃")
    assert "☎" in again and "留一个您的电话" in again


async def test_a_report_saying_mei_de_chi_is_urgent(report_services, say) -> None:
    for text in ("报告困难群众", "寨子里的张老爹，一个人住", "2", "新寨村"):
        await say(text)
    answer = await say("老爹屋头没得吃的了，喊他也不答应")
    assert "☎" in answer
    await say("跳过")
    await say("是")
    [record] = await report_services.applications.for_township(YANGJIE)
    assert record.payload["urgent"] is True


async def test_danger_in_a_too_short_answer_is_not_lost(report_services, say, answered) -> None:
    for text in ("报告困难群众", "一位老人", "1", "新寨村"):
        await say(text)
    # too short to be an answer, but it must not be swallowed
    answer = await Engine(report_services).handle(Message(user=USER, text="没气了"))
    assert "☎ 120" in answer[0].text and [r.source for r in answer][-1] == asks("hint_what")
    assert (await answered("老人倒在家里，叫不醒"))[-1] == asks("contact")  # the step still takes an answer


async def test_phone_is_validated(report_services, say, answered) -> None:
    for text in ("报告困难群众", "一家四口", "羊街乡", "新寨村", "孩子没人管，大人生病了"):
        await say(text)
    assert await answered("12345") == [asks("hint_contact")]
    assert await answered("139 1234 5678") == [asks("confirm")]
    await say("好的")
    [record] = await report_services.applications.for_township(YANGJIE)
    assert record.payload["contact"] == "13912345678"


async def test_cancel_stores_nothing(report_services, say, answered) -> None:
    for text in ("报告困难群众", "一家四口", "2", "新寨村", "孩子没人管，大人生病了", "不留"):
        await say(text)
    assert await answered("不") == [asks("cancelled")]
    assert await report_services.applications.for_township(YANGJIE) == []


async def test_without_staff_accounts_a_report_is_kept_and_never_looks_delivered(report_services) -> None:
    report_services.settings.staff_users = ""
    engine = Engine(report_services)
    assert "report" in [entry.key for entry in engine.menu]

    async def send(text: str) -> str:
        return "\n".join(r.text for r in await engine.handle(Message(user=USER, text=text)))

    for text in ("报告困难群众", "一家四口", "2", "新寨村", "孩子没人管，大人生病了", "跳过"):
        await send(text)
    done = await send("是")
    assert "已交给" not in done and "还没有开通网上接收" in done and "村（居）委会" in done
    [record] = await report_services.applications.for_township(YANGJIE)
    assert record.status == Status.KEPT


async def test_only_the_township_with_an_account_gets_delivered(report_services, say) -> None:
    for text in ("报告困难群众", "一家四口", "1", "新寨村", "孩子没人管，大人生病了", "跳过"):
        await say(text)
    assert "还没有开通网上接收" in await say("是")  # the account is for 羊街乡, not 那诺乡


@pytest.mark.parametrize("text", ["他快不行了", "昨天昏倒在地里", "说 要 死", "已经几天没吃东西"])
def test_danger_words(text: str) -> None:
    assert mentions_danger(text)


@pytest.mark.parametrize("text", ["家里很困难", "房子漏雨", "老人生病了"])
def test_no_false_alarm_on_ordinary_hardship(text: str) -> None:
    assert not mentions_danger(text)


def test_reference_numbers_use_an_unambiguous_alphabet() -> None:
    numbers = {reference_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(len(n) == 8 and not set(n) & set("01OIL") for n in numbers)


@pytest.mark.parametrize("text,phone", [("13912345678", "13912345678"), ("+86 139-1234-5678", "13912345678"),
                                        ("0877-1234567", "0877-1234567"), ("08771234567", "08771234567"),
                                        ("1234", None), ("电话", None)])
def test_parse_phone(text: str, phone: str | None) -> None:
    assert parse_phone(text) == phone


class KnowledgeSpy:
    """A knowledge base that records what it was asked and answers everything confidently."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def ask(self, text: str) -> object:
        from bot.knowledge import KnowledgeBase

        self.asked.append(text)
        return KnowledgeBase.from_directory().ask("低保怎么申请")


async def test_a_phone_number_mid_report_is_never_a_policy_question(report_services, say, answered) -> None:
    spy = KnowledgeSpy()
    report_services.knowledge = spy  # type: ignore[assignment]
    await say("报告困难群众")
    assert await answered("13812345678") == [asks("hint_who")]  # a number is not who the person is
    await say("村里独居的王大爷")
    assert await answered("13812345678") == [asks("hint_township")]
    await say("2")
    assert await answered("138 1234 5678") == [asks("hint_village")]
    await say("新寨村")
    assert await answered("13812345678") == [asks("hint_what")]
    await say("房子漏雨，腿脚不方便，没人照顾")
    assert await answered("我的手机 138 1234 5678 是我自己的") == [asks("confirm")]
    assert await answered("13812345678") == [asks("hint_confirm")]
    assert spy.asked == []
    aside = await answered("低保怎么申请")  # a question still goes to the knowledge base, then the step
    assert aside[0].startswith("faq:") and aside[-1] == "chat/continue.txt" and spy.asked == ["低保怎么申请"]


@pytest.mark.parametrize("text", ["好的", "同意", "你好", "知道了", "不知道", "123"])
async def test_who_and_what_are_not_a_yes_a_greeting_or_a_number(say, answered, text: str) -> None:
    await say("报告困难群众")
    await say(text)
    assert await answered("一位独居老人") == [asks("township")]  # still at who: the text was not taken
    for answer in ("2", "新寨村"):
        await say(answer)
    await say(text)
    assert await answered("老人生病了没人管怎么办") == [asks("contact")]  # a description may end in 怎么办
    confirm = await say("跳过")
    assert "一位独居老人" in confirm and "老人生病了没人管怎么办" in confirm
