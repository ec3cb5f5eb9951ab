"""Intents in the resident's own words, at any step; the independent dev set through Engine.route."""

from __future__ import annotations

import pytest

from bot.dialogs.evaluate_intents import ACCURACY_MIN, evaluate, load_devset, referral_share
from bot.dialogs.intents import check_intents, rules_only, trained_intents
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
    ("我的申请到哪一步了", ("screening", "age"), "flow:my_applications"),  # 一步 is no age
    ("不用转人工 我会填", ("application", "name"), "to_flow"),
    ("好的", ("screening", "consent"), "to_flow"),  # may be the yes
    ("你是机器人吗", None, "chat:bot"),
    ("隔壁老奶一个人住 没人照顾", None, "offer:report"),
    ("0", ("screening", "age"), "to_flow"),
    ("都不做了", ("screening", "earnings"), "to_flow"),  # said of people, 不做了 is about work
    ("我们老两口早就不干了", ("screening", "work"), "to_flow"),
    ("不做了", ("screening", "earnings"), "command:exit"),  # said alone, it still ends the questionnaire
    # how to answer the question asked is the help there (with the question's hint) ...
    ("三轮车算不算车辆", ("screening", "car"), "command:help"),
    ("收入是填一个月的还是一年的", ("screening", "earnings"), "command:help"),
    ("这个题是什么意思", ("screening", "age"), "command:help"),  # a question, and still the help
    # ... and idle the same words are a policy question for the knowledge base
    ("养老金算不算收入", None, "question"),
    ("我那个低保报上去两个月了，批下来没得", None, "flow:my_applications"),  # how it stands
    ("有消息没得", None, "flow:my_applications"),
    ("想给我老爹办特困供养", None, "flow:application"),
    ("我想问一下怎么申请低保", None, "question"),  # asked about, not asked for
    ("你们礼拜六上不上班", None, "flow:contact"),
    ("昨天那个还没弄完，接起来", None, "command:resume"),
    ("你这个能整哪样", None, "command:menu"),
    ("老倌不想继续种地了", ("screening", "work"), "to_flow"),  # an answer, not an exit
    ("民政局的电话是什么", None, "flow:contact"),  # contact is asked for with a question
    ("看下审批结果", None, "flow:my_applications"),
    ("上回递的材料你们收到没得", None, "flow:my_applications"),
    ("网上申请的入口", None, "flow:application"),  # where to start one, not how one stands
    ("喊个工作人员来", ("screening", "age"), "command:human"),  # 喊 is 叫
    ("自测在哪点开始", None, "flow:screening"),
    ("好，那我现在申请", ("screening", "result"), "flow:application"),  # 好 beside the request
    ("算了 我要人", None, "command:human"),  # a person, asked for in two words
    ("想问问村干部", None, "command:human"),
    ("你问的是哪样 我没听懂", ("screening", "age"), "command:help"),  # not understanding the question
    ("看不明白", None, "command:help"),
    ("除了这个还有没有别的", None, "command:menu"),
    ("继续下去嘛", None, "command:resume"),
    ("要得 好嘛", None, "chat:ok"),
    ("过年好", None, "chat:greet"),
    ("帮我整个自测", None, "flow:screening"),  # a test is the self-check, not the application
])
def test_routes(engine: Engine, text: str, where: tuple[str, str] | None, expected: str) -> None:
    assert route(engine, text, *(where or (None, None))) == expected


async def test_chit_chat_gets_a_short_friendly_reply(engine: Engine, services: Services) -> None:
    for text, kind in (("你是机器人吗", "bot"), ("拜拜", "bye"), ("哈哈", "laugh"), ("好的", "ok")):
        replies = await engine.handle(Message(user="c1", text=text))
        assert [r.source for r in replies] == [f"chat/smalltalk/{kind}.txt"], text
    assert [k async for k in services.redis.scan_iter("kb:miss:*")] == []


async def test_a_described_neighbour_is_offered_the_report(engine: Engine, services: Services) -> None:
    async def answered(text: str) -> list[str | None]:
        return [r.source for r in await engine.handle(Message(user="n1", text=text))]

    assert (await answered("我们寨子有个老奶一个人住，没人照顾，房子还漏雨"))[-1] == "chat/report/offer.txt"
    assert await answered("是") == ["chat/report/intro.txt", "chat/report/who.txt"]
    await answered("寨子里的李老奶")
    await answered("2")
    assert await answered("新寨村") == ["chat/report/contact.txt"]  # what was seen is known: not asked again


def test_the_intents_file_checks_clean() -> None:
    assert check_intents() == []


class _Guesses:
    """A stand-in second stage that takes every message for one label, sure of it."""

    def __init__(self, label: str) -> None:
        self.label = label

    def command(self, text: str, context: str) -> object:
        from types import SimpleNamespace

        return SimpleNamespace(label=self.label, probability=0.99, by=[("x", 1.0)])

    def overrules(self, text: str, context: str) -> bool:
        return self.label in ("policy_question", "answer", "off_topic")

    def answers(self, text: str, context: str) -> bool:
        return self.label == "answer"


@pytest.mark.parametrize("text,step,expected", [
    ("都退休了 在家头", "work", "to_flow"),  # the flow hears an answer: the guess does not take it
    ("啥子都莫得", "property", "to_flow"),
    ("呜呜呜", "work", "command:exit"),  # nothing the flow can read: the guess stands
])
def test_a_guess_never_beats_an_answer_the_flow_hears(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                                       text: str, step: str, expected: str) -> None:
    monkeypatch.setattr(engine.intents, "model", _Guesses("exit"))
    session = Session(flow=FlowState(name="screening", step=step, data={"answers": {}}))
    assert engine.route(session, text) == expected


def test_chit_chat_the_model_hears_is_a_friendly_word_idle(engine: Engine,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.intents, "model", _Guesses("chit_chat"))
    assert route(engine, "今天太阳大得很") == "chat:other"
    assert route(engine, "今天太阳大得很", "screening", "age") == "to_flow"  # inside a flow, the flow's


def test_thanks_beside_a_question_is_the_question(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.intents, "model", _Guesses("policy_question"))
    assert route(engine, "谢谢 那我再问一个 特困供养要哪些材料") == "question"
    assert route(engine, "谢谢你") == "chat:thanks"  # a whole message of thanks stays thanks


def test_asking_how_ones_own_submission_stands_is_my_application_though_a_question() -> None:
    intents = rules_only()
    for text in ("我们交的那份材料是不是退回来了", "村里评议开过了 还要等几个月", "上回报的那个低保公示了没"):
        heard = intents.classify(text)
        assert heard is not None and heard.flow == "my_applications", text
    for text in ("低保申请要等多久", "申请书要交到哪里"):  # nothing submitted yet: a policy question
        assert intents.classify(text) is None, text


def test_asking_how_to_answer_or_correct_is_the_help_at_any_step() -> None:
    intents = rules_only()
    for text, step in (("我回错了 怎么改", "screening:age"), ("能不能讲方言", None),
                       ("晓不得该咋个答", "screening:income"), ("要回哪个数字嘛", "screening:consent")):
        heard = intents.classify(text, step)
        assert heard is not None and heard.command == "help", text
    assert intents.classify("自测是什么") is None  # what the self-check is: the knowledge base says


def test_not_knowing_how_to_cope_beside_facts_is_an_answer_not_a_call_for_help() -> None:
    intents = rules_only()
    for text in ("看病花了一万多 娃娃又要交书费 不晓得咋个整", "房子漏雨 不知道怎么办才好"):
        assert intents.classify(text, "screening:emergency") is None, text
    for text in ("记不得存了好多了 咋个办", "忘了他几岁了 怎么办"):  # not remembering the answer: help
        heard = intents.classify(text, "screening:savings")
        assert heard is not None and heard.command == "help", text


def test_asking_where_the_self_check_starts_asks_for_it() -> None:
    intents = rules_only()
    for text in ("测评入口在哪点", "帮我看一下我家算不算低保户"):
        heard = intents.classify(text)
        assert heard is not None and heard.flow == "screening", text


def test_asking_what_a_programme_pays_is_no_report() -> None:
    intents = rules_only()
    assert intents.classify("我家老人是残疾人 那个补贴每个月有多少") is None
    heard = intents.classify("隔壁那个老倌一个月就几十块钱过日子 没人管")
    assert heard is not None and heard.offer == "report"


def test_not_knowing_the_phone_beside_a_request_for_someone_is_the_request() -> None:
    intents = rules_only()
    for text, flow in (("她不会弄手机 你帮她测一下", "screening"),
                       ("我爹不会用手机 我帮他申请", "application"),
                       ("我婆婆不会用手机 帮她看看够不够条件", "screening")):
        heard = intents.classify(text)
        assert heard is not None and heard.flow == flow, text
    for text in ("我不会用手机 咋个整", "帮我看看这个咋个用"):  # no request for someone: the help
        heard = intents.classify(text)
        assert heard is not None and heard.command == "help", text


def test_asking_how_the_questionnaire_goes_is_the_help_inside_it_only() -> None:
    intents = rules_only()
    for text in ("总共有几道题", "能不能慢点填 我眼睛不好", "咋个回到上一题", "身份证咋个上传"):
        heard = intents.classify(text, "screening:income")
        assert heard is not None and heard.command == "help", text
    for text in ("低保还有几个问题没解决", "户口本咋个交"):  # idle: questions for the knowledge base
        assert intents.classify(text) is None, text


def test_a_question_about_the_step_itself_is_the_help_inside_a_flow_only() -> None:
    intents = rules_only()
    for text, step in (("测出来说不符合 这是啥意思 还能不能申请", "screening:result"),
                       ("这个自测大概要好久 收不收钱", "screening:consent"),
                       ("身份证号记不住 能不能不填", "application:name"),
                       ("这里要留哪个的电话", "report:name"),
                       ("他家的情况要说多详细", "report:name"),
                       ("删掉以后还找得回来不", "delete_data:confirm")):
        heard = intents.classify(text, step)
        assert heard is not None and heard.command == "help", text
    assert intents.classify("不符合", "screening:result") is None  # the answer itself
    assert intents.classify("自测要多久") is None  # idle: a question for the knowledge base


def test_asking_to_see_what_one_filled_in_is_my_application() -> None:
    intents = rules_only()
    for text, step in (("瞧一下我交的", None), ("我前面写的那些错没错", "application:name"),
                       ("填表记录", None)):
        heard = intents.classify(text, step)
        assert heard is not None and heard.flow == "my_applications", text
    assert intents.classify("我填的是三口人", "screening:household") is None  # an answer


def test_stopping_one_thing_to_take_the_test_first_is_the_test() -> None:
    intents = rules_only()
    for text, step in (("先不办了 我想先测测看", "application:name"),
                       ("不申请 重新测一次", "screening:result")):
        heard = intents.classify(text, step)
        assert heard is not None and heard.flow == "screening", text
    heard = intents.classify("不填了 下回再测", "screening:income")  # later: a stop
    assert heard is not None and heard.command == "exit"


def test_how_a_submission_made_for_someone_stands_is_my_application_across_clauses() -> None:
    intents = rules_only()
    for text in ("我替我爷爷递的特困申请，到现在批下来没", "帮我姐交了临时救助 现在到哪一步了",
                 "上个月我们报上去了，审批的情况能看不"):
        heard = intents.classify(text)
        assert heard is not None and heard.flow == "my_applications", text
    for text in ("帮我奶奶申请低保", "我得不得还不晓得 先报上去 帮我填申请"):  # a request made now
        heard = intents.classify(text)
        assert heard is not None and heard.flow == "application", text


def test_a_yes_no_question_about_what_to_write_is_the_help_inside_a_flow() -> None:
    intents = rules_only()
    for text, step in (("手机号前面要加零吗", "application:name"),
                       ("地址填到乡上就行了吗", "application:name"),
                       ("交了以后还能改吗", "application:name"),
                       ("在外头读书的娃娃包括在里面吗", "screening:age"),
                       ("是问今年的还是问前年的", "screening:age"),
                       ("这个我不想答 可以跳过吗", "screening:age"),
                       ("我不会输数字", "screening:age")):
        heard = intents.classify(text, step)
        assert heard is not None and heard.command == "help", text
    for text in ("不能改", "写到这里"):  # answers, not questions
        assert intents.classify(text, "application:name") is None, text
    assert intents.classify("地址填到乡上就行了吗") is None  # idle: a question for the knowledge base


def test_a_question_about_the_step_itself_is_the_help_how_long_who_sees_whether_it_holds() -> None:
    intents = rules_only()
    for text, step in (("这个要问多久", "screening:consent"),
                       ("反映了之后几天有人来", "report:what"),
                       ("我说的这些会让村里人晓得不", "screening:consent"),
                       ("填完了是不是就算申请了", "screening:consent"),
                       ("测出来的这个准不准哦", "screening:result"),
                       ("删掉了还能找回来吗", "delete_data:confirm")):
        heard = intents.classify(text, step)
        assert heard is not None and heard.command == "help", text
    for text in ("那就申请嘛", "好 那就申请"):  # at the result, taking it up is no question
        heard = intents.classify(text, "screening:result")
        assert heard is None or heard.command != "help", text
    assert intents.classify("社保卡补办要好久", "screening:age") is None  # another office's wait


def test_putting_it_off_till_later_is_a_stop_not_a_resume() -> None:
    intents = rules_only()
    for text in ("先搁着 过两天继续填", "今天先放一下"):
        heard = intents.classify(text, "application:name")
        assert heard is not None and heard.command == "exit", text
    heard = intents.classify("继续填", "application:name")
    assert heard is None or heard.command != "exit"
    assert intents.classify("这个先放着 我想问一下户口咋个迁", "screening:age") is None  # the question


def test_naming_someone_else_to_report_mid_flow_is_the_report() -> None:
    intents = rules_only()
    for text, step in (("不是测我 是想报一下我们寨子的一个孤老", "screening:consent"),
                       ("先说个事 隔壁老倌病倒了 你们能不能去看一下", "screening:age"),
                       ("我还要反映他们", "application:name")):
        heard = intents.classify(text, step)
        assert heard is not None and heard.flow == "report", text
    heard = intents.classify("我报的那个申请批了没")  # one's own, sent: how it stands
    assert heard is not None and heard.flow == "my_applications"
    heard = intents.classify("前天报邻居那个还没报完 接着来")  # an unfinished report: go on with it
    assert heard is None or heard.flow != "report"


def test_where_an_application_is_filled_in_is_no_status_question() -> None:
    intents = rules_only()
    heard = intents.classify("我想帮我婆婆申请特困 在哪点填")
    assert heard is not None and heard.flow == "application"
    assert intents.classify("申请书在哪里填") is None  # asked about: the knowledge base
    heard = intents.classify("我的申请书在哪里看")  # one made already: my application
    assert heard is not None and heard.flow == "my_applications"
