"""救助自测 through the engine: consent, branches, hints, 跳过, 返回, 修改, asides, resume and the result."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest
from fakeredis import FakeAsyncRedis

from bot.application.store import ApplicationStore
from bot.dialogs import default_flows
from bot.dialogs.screening import ScreeningFlow
from bot.engine import Engine, Message
from bot.knowledge import KnowledgeBase
from bot.rules import Household, screen
from bot.screening_results import ScreeningResults
from bot.services import Services, build_services
from bot.sessions import FlowState
from bot.settings import Settings

TODAY = date(2025, 8, 1)
USER = "oScreeningTester0001"
# 元江 rural, 70 years old, alone, 300 yuan a month, nothing else: the simplest household.
SINGLE_ELDER = ["2", "七十岁", "没有了", "没有", "三百块", "没有", "没有", "1", "没有"]


@cache
def knowledge() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


@pytest.fixture
def services() -> Services:
    return build_services(Settings(_env_file=None), redis=FakeAsyncRedis(), knowledge=knowledge())


class Chat:
    def __init__(self, services: Services) -> None:
        flows = default_flows()
        flows["screening"] = ScreeningFlow(today=lambda: TODAY)
        self.services = services
        self.engine = Engine(services, flows=flows)
        self.seen: list[str] = []

    async def __call__(self, *texts: str) -> str:
        """Send each text in turn; the joined replies to the last one."""
        reply = ""
        for text in texts:
            reply = "\n".join(r.text for r in await self.engine.handle(Message(user=USER, text=text)))
            self.seen.append(reply)
        return reply

    async def state(self) -> FlowState | None:
        return (await self.services.sessions.load(USER)).flow

    async def answers(self) -> dict:
        state = await self.state()
        assert state is not None
        return state.data["answers"]

    async def stored(self) -> dict | None:
        services = self.services
        return await ScreeningResults(services.redis, services.sealer, services.settings.draft_ttl).load(USER)

    def asked(self) -> list[int]:
        return [int(n) for reply in self.seen for n in re.findall(r"【第(\d+)题】", reply)]


@pytest.fixture
def chat(services: Services) -> Chat:
    return Chat(services)


async def test_consent_comes_first_and_refusal_leaves_nothing(chat: Chat) -> None:
    consent = await chat("自测")
    for needed in ("敏感个人信息", "30分钟", "7天", "30天", "不是审批结果", "工作人员审核决定", "同意"):
        assert needed in consent
    assert "第1题" not in consent
    assert "开始自测前需要您同意" in await chat("45")
    assert (await chat.state()).step == "consent"
    assert "不做自测" in await chat("不同意")
    assert await chat.state() is None
    assert await chat.stored() is None
    assert "没有需要接着办的事情" in await chat("继续")


async def test_simple_household_reaches_the_result_in_few_questions(chat: Chat) -> None:
    await chat("我能申请低保吗", "同意")
    summary = await chat(*SINGLE_ELDER)
    assert "请核对您的回答" in summary and "70岁" in summary and "每月300元" in summary
    assert max(chat.asked()) <= 12
    assert not any("残疾证上" in reply or "现在上学吗" in reply for reply in chat.seen)
    result = await chat("确认")
    likely, _, _ = result.partition("可能符合（还要核实）")
    assert "很可能符合" in likely and "最低生活保障" in likely and "特困人员救助供养" in likely
    assert "依据：任务清单第2、18条" in likely and "户籍所在地的乡镇" in result and "村（居）委会" in result
    assert "不是审批结果" in result and "为什么不符合" in result
    stored = await chat.stored()
    assert stored["as_of"] == "2025-08-01"
    assert stored["household"]["members"][0]["age"] == 70
    assert stored["household"]["members"][0]["monthly_income"] == 300
    assert stored["household"]["supporter"] == "none"
    direct = screen(Household.from_dict(stored["household"]), TODAY)
    assert [(r["program"], r["status"]) for r in stored["results"]] == [
        (r.program, r.status.value) for r in direct.results]
    assert (await chat.state()).step == "result"


async def test_disability_branch_asks_who_which_type_and_grade(chat: Chat) -> None:
    await chat("自测", "同意", "2", "50", "老伴 48岁", "没有了")
    assert "谁有残疾证" in await chat("1")
    assert "老伴（48岁）的残疾证上写的是哪一类" in await chat("2")
    assert "几级" in await chat("智力")
    await chat("3级", "没有", "一千八", "没有", "没有", "没有", "没有")
    result = await chat("确认")
    member = (await chat.stored())["household"]["members"][1]
    assert (member["disability_type"], member["disability_grade"]) == ("intellectual", 3)
    assert "困难残疾人生活补贴" in result.partition("另有")[0]


async def test_children_of_a_couple_skip_parent_questions(chat: Chat) -> None:
    await chat("自测", "同意", "2", "40", "老伴 38", "女儿 9岁", "没有了", "没有")
    assert "上学" in chat.seen[-1]
    assert "爸爸" not in await chat("3") and "家长" not in chat.seen[-1]


async def test_grandchild_branch_asks_both_parents(chat: Chat) -> None:
    await chat("自测", "同意", "2", "66", "孙子 10岁", "没有了", "没有")
    assert "孙子（10岁）的爸爸" in await chat("小学")
    assert "妈妈" in await chat("去世")
    await chat("2", "没有", "没有", "没有", "没有", "1", "没有")
    result = await chat("确认")
    assert "孤儿基本生活保障" in result.partition("另有")[0]
    child = (await chat.stored())["household"]["members"][1]
    assert (child["father"], child["mother"], child["in_school"]) == ("deceased", "deceased", "compulsory")


async def test_single_parent_is_asked_about_the_other_parent_only(chat: Chat) -> None:
    await chat("自测", "同意", "2", "35", "儿子 8岁", "没有了", "没有")
    assert "另一位家长" in await chat("3")
    await chat("失踪")
    assert (await chat.answers())["other_parent:1"] == 2


@pytest.mark.parametrize(("held", "where"), [("两年", "可以在元江居住地申请"), ("8个月", "不满1年")])
async def test_residence_permit_branch(chat: Chat, held: str, where: str) -> None:
    await chat("自测", "同意")
    assert "居住证" in await chat("3")
    assert "城镇还是农村" in await chat(held)
    await chat("农村", "45", "没有了", "没有", "没有", "没有", "没有", "没有", "没有")
    result = await chat("确认")
    assert where in result.partition("申请地点：")[2]
    assert (await chat.stored())["household"]["hukou"] == "yunnan_other"


async def test_two_failed_tries_explain_and_offer_skip_then_unknown_gives_possible(chat: Chat) -> None:
    await chat("自测", "同意", "2")
    first = await chat("随便说说")
    assert "没看懂" in first and "比如“65”" in first and "跳过" not in first
    second = await chat("随便说说")
    assert "60岁以上的老人" in second and "跳过" in second and "人工" in second
    assert (await chat.state()).tries == 2
    assert "家里还有谁" in await chat("跳过")
    assert (await chat.answers())["age"] is None
    summary = await chat("没有了", "没有", "没有", "没有", "没有", "没有", "没有")
    assert "您的年龄：不清楚（跳过）" in summary
    assert "可能符合" in await chat("确认")


async def test_back_skips_questions_that_were_not_asked(chat: Chat) -> None:
    await chat("自测", "同意", "2")
    back = await chat("返回")
    assert "户口在哪里" in back and "居住证" not in back
    await chat("2", "45", "没有了")
    assert "哪一类" in await chat("1")
    assert "几级" in await chat("肢体")
    await chat("返回", "返回")
    state = await chat.state()
    assert state.step == "health"
    after = await chat("没有")
    assert "哪一类" not in after and "有工作吗" in after
    await chat("返回")
    assert (await chat.state()).step == "health"


async def test_edit_from_the_summary_changes_one_answer_and_returns(chat: Chat) -> None:
    await chat("自测", "同意", "2", "45", "没有了", "没有", "没有", "三百", "没有", "没有", "没有")
    listing = await chat("修改")
    assert "2. 您的年龄：45岁" in listing
    again = await chat("2")
    assert "多大年纪" in again and "上次回答：45岁" in again
    assert "赡养" in await chat("70")  # newly relevant at 70, asked before the summary
    summary = await chat("没有这样的人")
    assert "您的年龄：70岁" in summary and "赡养人：没有这样的人" in summary
    assert "有工作的人" not in summary  # no longer relevant at 70
    assert "特困人员救助供养" in (await chat("确认")).partition("可能符合（还要核实）")[0]


async def test_policy_question_mid_way_is_answered_and_the_question_resumes(chat: Chat) -> None:
    await chat("自测", "同意", "2", "45", "没有了", "没有", "没有")
    assert (await chat.state()).step == "income"
    reply = await chat("低保怎么申请")
    assert "户口所在的乡镇" in reply and "我们继续" in reply and "每个月一共有多少收入" in reply
    state = await chat.state()
    assert (state.step, state.tries) == ("income", 0)
    assert "存款" in await chat("三百")


async def test_exit_then_continue_restores_the_answers(chat: Chat, services: Services) -> None:
    await chat("自测", "同意", "2", "45", "没有了")
    assert "保留7天" in await chat("退出")
    assert await chat.state() is None
    await services.redis.delete(services.sessions._key("sess", USER))  # the idle session expired
    resumed = await chat("继续")
    assert "我们继续" in resumed and "家里有没有人" in resumed
    summary = await chat("没有", "没有", "没有", "没有", "没有", "没有")
    assert "您的年龄：45岁" in summary


async def test_after_the_result(chat: Chat) -> None:
    chat.services.applications = None  # a deployment without applications
    await chat("自测", "同意", *SINGLE_ELDER, "确认")
    why = await chat("为什么不符合")
    assert "不太符合的项目" in why and "孤儿基本生活保障" in why and "受灾人员救助" in why
    assert "最低生活保障" not in why
    assert "还不能在这里生成申请" in await chat("生成申请")
    aside = await chat("特困人员有哪些条件")
    assert "无劳动能力" in aside and "为什么不符合" in aside
    assert (await chat.state()).step == "result"
    assert "自测已经结束" in await chat("谢谢")
    assert await chat.state() is None


async def test_generate_application_hands_over_to_the_application_flow(services: Services) -> None:
    assert isinstance(services.applications, ApplicationStore)
    chat = Chat(services)
    result = await chat("自测", "同意", *SINGLE_ELDER, "确认")
    assert "生成申请" in result
    handed = await chat("生成申请")
    assert "最低生活保障" in handed
    assert (await chat.state()).name == "application"


async def test_a_long_result_is_paged_for_wechat(chat: Chat) -> None:
    await chat("自测", "同意", "2", "66", "老伴 64", "孙子 10岁", "没有了", "1 2", "1", "2", "1级", "2",
               "小学", "去世", "失踪", "没有", "没有", "没有", "1", "1 3 4 5 6", "两千")
    assert "请核对您的回答" in chat.seen[-1]
    first = await chat.engine.handle(Message(user=USER, text="确认"), page_bytes=2000)
    assert len(first) == 1 and len(first[0].text.encode()) <= 2000 and "更多" in first[0].text
    pages = [first[0].text]
    while "回复“更多”" in pages[-1]:
        pages.append((await chat.engine.handle(Message(user=USER, text="更多"), page_bytes=2000))[0].text)
    whole = "".join(pages)
    for programme in ("孤儿基本生活保障", "重度残疾人护理补贴", "临时救助", "受灾人员救助", "法律援助"):
        assert programme in whole
