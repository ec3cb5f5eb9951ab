"""救助自测 through the engine: consent, stories, the dead, corrections, read-backs, hints, 跳过,
修改, asides, resume, the short result and its details."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest
import redis.asyncio as aioredis

from bot.application.store import ApplicationStore
from bot.dialogs import default_flows
from bot.dialogs.screening import ScreeningFlow
from bot.engine import Engine, Message
from bot.knowledge import KnowledgeBase
from bot.rules import Household, screen
from bot.services import Services, build_services
from bot.sessions import FlowState
from bot.settings import Settings

TODAY = date(2025, 8, 1)
T = "chat/screening/"
USER = "oScreeningTester0001"


@cache
def knowledge() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


@pytest.fixture
def services(redis_client: aioredis.Redis) -> Services:
    return build_services(Settings(_env_file=None), redis=redis_client, knowledge=knowledge())


class Chat:
    def __init__(self, services: Services) -> None:
        flows = default_flows()
        flows["screening"] = ScreeningFlow(today=lambda: TODAY)
        self.services = services
        self.engine = Engine(services, flows=flows)
        self.seen: list[str] = []
        self.sources: list[str | None] = []  # which templates answered the last message

    async def __call__(self, *texts: str) -> str:
        """Send each text in turn; the joined replies to the last one."""
        reply = ""
        for text in texts:
            replies = await self.engine.handle(Message(user=USER, text=text))
            reply = "\n".join(r.text for r in replies)
            self.seen.append(reply)
            self.sources = [r.source for r in replies]
        return reply

    async def answered(self, text: str) -> list[str | None]:
        """Which templates answered `text`, where the wording is not the point."""
        await self(text)
        return self.sources

    async def state(self) -> FlowState | None:
        return (await self.services.sessions.load(USER)).flow

    async def step(self) -> str:
        state = await self.state()
        assert state is not None
        return state.step

    async def answers(self) -> dict:
        state = await self.state()
        assert state is not None
        return state.data["answers"]

    async def stored(self) -> dict | None:
        services = self.services
        return await services.screenings.load(USER)

    async def until(self, step: str, answer: str = "没有", limit: int = 20) -> None:
        """Answer every question with `answer` until the flow reaches `step`."""
        for _ in range(limit):
            if (await self.step()).partition(":")[0] == step:
                return
            await self(answer)
        raise AssertionError(f"never reached {step}")


@pytest.fixture
def chat(services: Services) -> Chat:
    return Chat(services)


async def start(chat: Chat, *answers: str) -> None:
    await chat("自测", "同意", *answers)


async def test_consent_comes_first_and_refusal_leaves_nothing(chat: Chat) -> None:
    consent = await chat("自测")
    for needed in ("敏感个人信息", "30分钟", "7天", "30天", "不是审批结果", "同意"):
        assert needed in consent
    assert chat.sources == [T + "consent.txt"]  # consent alone: no question before it is given
    assert await chat.answered("45") == [T + "consent_hint.txt"]
    assert await chat.answered("不同意") == [T + "declined.txt"]
    assert await chat.state() is None and await chat.stored() is None


async def test_a_conditional_yes_is_consent(chat: Chat) -> None:
    await chat("自测")
    assert await chat.answered("这些会不会拿给别人看 算了 你问嘛") == [T + "question.txt"]
    assert await chat.step() == "place"


async def test_the_dead_are_never_counted_nor_asked_about(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八")
    heard = await chat("老伴去年没了 儿子三十五 有残疾")
    assert "老伴已去世" in heard and "儿子（35岁）" in heard
    await chat.until("earnings", answer="不知道")
    assert not any("老伴" in reply.rpartition("【")[2] for reply in chat.seen[4:])
    members = (await chat.answers())["household"]["members"]
    assert [(m["relation"], m["age"]) for m in members] == [("child", 35)]


async def test_several_members_in_one_message_and_no_age_asked_again(chat: Chat) -> None:
    await start(chat, "元江农村", "三十")
    await chat("老婆27 三个娃娃 大的10岁 老二6岁 老三才1岁")
    assert await chat.step() == "confirm:household"  # four people in one message: read back first
    await chat("对")
    assert await chat.step() == "health"
    ages = sorted(m["age"] for m in (await chat.answers())["household"]["members"])
    assert ages == [1, 6, 10, 27]


async def test_没老婆_没娃娃_is_nobody(chat: Chat) -> None:
    await start(chat, "元江农村", "五十二")
    assert "就您一个人" in await chat("没老婆 没娃娃")


async def test_a_whole_story_answers_several_questions(chat: Chat) -> None:
    await start(chat, "元江农村")
    await chat("我今年七十四了 一个人住在山上 老伴走得早 没儿没女 腿不好")
    answers = await chat.answers()
    assert answers["age"] == 74 and answers["household"]["members"] == []
    assert answers["supporters"] == {"exists": False, "can_support": None}
    asked = [re.findall(r"【第\d+题】(\S{0,8})", reply) for reply in chat.seen]
    assert not any("多大年纪" in q for qs in asked[-1:] for q in qs)


async def test_an_answer_is_an_answer_first_even_if_it_names_a_policy(chat: Chat) -> None:
    await start(chat, "元江农村", "五十五", "老伴50 儿子28")
    await chat("我儿子有残疾证 智力三级")
    assert not [s for s in chat.sources if s is None or not s.startswith(T)]  # no aside, no resuming
    answers = await chat.answers()
    assert answers["disabled_who"] == [2] and answers["disability_type:2"] == "intellectual"
    assert answers["disability_grade:2"] == 3


async def test_a_correction_at_a_later_step_changes_the_earlier_answer(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "就我一个", "没有")
    assert await chat.step() == "earnings"
    await chat("我没有工作 一个月八百")
    asked = await chat.step()
    reply = await chat("不对 是三百 我刚才说多了")
    assert "改过来" in reply and "300元" in reply
    earnings = (await chat.answers())["earnings"]
    assert earnings["income"]["low"] == 300 and earnings["work"] is False  # the other part kept
    assert await chat.step() == asked


async def test_a_reply_that_corrects_itself_answers_this_step_not_an_earlier_one(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "老伴六十五", "没有")
    assert await chat.step() == "earnings"
    await chat("种菜卖 一个月五百 不对不对 是四百")
    answers = await chat.answers()
    assert answers["earnings"]["income"]["low"] == 400
    assert answers["household"]["members"][0]["age"] == 65  # the earlier answer untouched


async def test_a_filler_before_a_correction_still_corrects_the_earlier_answer(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "老伴六十五", "没有")
    reply = await chat("哦 对了 刚才说错了 老伴不是六十五 是六十七")
    assert "改过来" in reply
    assert (await chat.answers())["household"]["members"][0]["age"] == 67


async def test_an_unusual_amount_that_decides_is_read_back(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "就我一个", "没有")
    assert await chat.answered("每天一百二") == [T + "readback.txt"]
    assert await chat.step() == "confirm:income"
    assert "改过来" not in await chat("不对 一个月八百")
    assert (await chat.answers())["income"]["low"] == 800


async def test_a_huge_number_gets_a_clear_hint_never_a_crash(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "就我一个", "没有")
    reply = await chat("1" * 27)
    assert "太长" in reply and await chat.step() == "earnings"


async def test_two_failed_tries_explain_and_offer_skip_then_unknown(chat: Chat) -> None:
    await start(chat)
    first = await chat("随便说说")
    assert "没看懂" in first and "跳过" not in first
    second = await chat("随便说说")
    assert "跳过" in second and "人工" in second
    await chat("跳过")
    assert (await chat.answers())["place"] is None and await chat.step() == "age"


async def test_asking_how_to_answer_gets_this_questions_hint_and_the_question_again(chat: Chat) -> None:
    await start(chat, "元江农村")
    assert await chat.step() == "age"
    hint, why = ScreeningFlow().explain(FlowState(name="screening", step="age")) or ("", "")
    reply = await chat("这个题什么意思，我看不懂")  # about the question, not an answer to it
    assert chat.sources == ["chat/help.txt", "chat/continue.txt"]
    assert hint and why and hint in reply and why in reply
    assert await chat.step() == "age" and "age" not in await chat.answers()


async def test_a_policy_question_mid_way_is_answered_and_the_question_resumes(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "就我一个", "没有")
    await chat("低保怎么申请")
    assert chat.sources[-1] == "chat/continue.txt" and await chat.step() == "earnings"


async def test_summary_edit_result_and_details(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "就我一个 老伴走了 没儿没女", "没有", "一个月三四百")
    await chat.until("summary")
    summary = chat.seen[-1]
    assert chat.sources[-1] == T + "summary.txt" and "70岁" in summary and "每月300到400元" in summary
    listing = await chat("修改")
    number = next(n for n, line in re.findall(r"(\d+)\. (.+)", listing) if line.startswith("您的年龄"))
    assert "上次回答：70岁" in await chat(number)
    await chat("七十二")
    await chat.until("summary")
    result = await chat("对")
    assert "很可能符合" in result and len(result) < 400
    assert result.index("很可能符合") < result.index("申请地点")
    details = await chat("详细")
    assert "依据：任务清单" in details and "怎么申请" in details
    stored = await chat.stored()
    assert stored["household"]["members"][0]["age"] == 72
    direct = screen(Household.from_dict(stored["household"]), TODAY)
    assert {r["program"]: r["status"] for r in stored["results"]}["dibao"] == direct.program(
        "dibao"
    ).status.value


async def test_exit_then_continue_restores_the_answers(chat: Chat, services: Services) -> None:
    await start(chat, "元江农村", "四十五")
    assert await chat.answered("退出") == ["chat/exit.txt"]
    await services.redis.delete(services.sessions._key("sess", USER))
    assert await chat.answered("继续") == ["chat/continue.txt"] and (await chat.answers())["age"] == 45


async def test_generate_application_hands_over(services: Services) -> None:
    assert isinstance(services.applications, ApplicationStore)
    chat = Chat(services)
    await start(chat, "元江农村", "七十", "就我一个 老伴走了 没儿没女", "没有", "一个月三百")
    await chat.until("summary")
    assert "生成申请" in await chat("对")
    assert await chat.answered("生成申请") == ["chat/application/intro.txt", "chat/application/ask_name.txt"]
    assert (await chat.state()).name == "application"


async def test_hardships_and_medical_costs_are_asked_together(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八", "老伴七十")
    await chat.until("hardship")
    await chat("都没有 看病拿药一年八百左右")
    answers = await chat.answers()
    assert answers["hardship"]["emergency"] == [] and answers["hardship"]["medical_spending"]["low"] > 0
    steps_left = []
    for _ in range(5):
        step = await chat.step()
        if step in ("summary", "result"):
            break
        steps_left.append(step)
        await chat("没有")
    assert "emergency" not in steps_left and "medical_spending" not in steps_left


async def test_who_earns_and_the_income_are_asked_together(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八", "老伴七十")
    await chat.until("earnings")
    await chat("我和老伴种甘蔗 一个月四百多")
    answers = await chat.answers()
    assert answers["earnings"]["work"] == ["self", "spouse"] and answers["earnings"]["income"]["low"] == 400
    steps_left = []
    for _ in range(8):
        step = await chat.step()
        if step in ("summary", "result"):
            break
        steps_left.append(step)
        await chat("没有")
    assert "work" not in steps_left and "income" not in steps_left


async def test_a_together_answer_without_the_income_asks_it_alone(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八", "老伴七十")
    await chat.until("earnings")
    await chat("老伴种地 我没有工作")
    assert await chat.step() == "income"


async def test_an_aside_at_the_summary_resumes_the_summary(chat: Chat) -> None:
    await start(chat, "元江农村", "七十", "就我一个 老伴走了 没儿没女", "没有", "一个月三四百")
    await chat.until("summary")
    summary = chat.seen[-1]
    aside = await chat("低保一个月多少钱")  # a policy question: answered, then the summary again
    assert await chat.step() == "summary"
    assert "70岁" in aside and "每月300到400元" in aside and aside != summary
