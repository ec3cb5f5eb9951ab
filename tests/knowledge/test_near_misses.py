"""Near misses: another office's question is referred, our look-alike that names it stays answered.

Each concept has a question for another office (a pension, 医保, 社保, wages, 户口, marriage, a school
place, a farm subsidy, a veteran's benefit, tax) and, where residents mix them, a social-assistance
question that mentions the same thing but asks for 低保, 特困 or 临时救助. The wording is the tests'
own, not taken from the training corpus or the development sets.
"""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.snapshot import Sources


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase(Sources(), check_interval=3600.0)


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        pytest.param("我爸那份养老金这个月咋个没到账", "pension", id="pension-not-paid"),
        pytest.param("老人在手机上做待遇认证老是刷不过", "pension", id="pension-certification"),
        pytest.param("失业保险金在哪里领", "pension", id="unemployment-insurance"),
        pytest.param("医保个人账户的钱能不能给家里人用", "medical-insurance", id="medical-account"),
        pytest.param("大病保险的第二次报销要自己去申请吗", "medical-insurance", id="critical-illness"),
        pytest.param("包工头欠了我两个月的工钱 人找不到了", "wages", id="wages"),
        pytest.param("媳妇的户口从外省迁过来要开什么证明", "hukou-id", id="hukou-transfer"),
        pytest.param("没有户口的老人要怎么落户", "hukou-id", id="no-hukou"),
        pytest.param("两个人领结婚证要准备哪些材料", "marriage", id="marriage"),
        pytest.param("孩子户口不在县城 上一年级去哪个学校报名", "school-enrolment", id="school-place"),
        pytest.param("耕地地力补贴打到哪张卡上了", "farm-subsidy", id="farm-subsidy"),
        pytest.param("退役军人优待证在哪里办", "veterans", id="veterans"),
        pytest.param("开个小卖部一年要交多少税", "tax-business", id="tax"),
    ],
)
def test_another_office_question_is_referred(shipped: KnowledgeBase, question: str, referral: str) -> None:
    a = shipped.ask(question)
    assert a.out_of_scope and a.answer is None
    assert a.referral == referral


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("我妈一个月有一百多块养老金 还能不能吃低保", id="pension-and-dibao"),
        pytest.param("家里老人有退休工资 会不会影响评低保", id="retirement-pay-and-dibao"),
        pytest.param("低保户交医保 政府有没有补助", id="medical-insurance-subsidy"),
        pytest.param("工钱被拖欠 家里揭不开锅了 能申请临时救助吗", id="wages-and-linshi"),
        pytest.param("户口在外地 在元江住了两年 能在这边申请低保吗", id="hukou-and-dibao"),
        pytest.param("孩子上学交不起学费 有没有救助", id="school-costs"),
    ],
)
def test_our_look_alike_is_answered(shipped: KnowledgeBase, question: str) -> None:
    a = shipped.ask(question)
    assert a.status == "answer" and not a.out_of_scope
