"""Questions about allowances beside 低保: the 高龄 allowance, a pension, and another office's paperwork."""

from __future__ import annotations

import re

import pytest

from bot.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


def _needs(kb: KnowledgeBase, entry_id: str | None) -> tuple[str, ...]:
    return kb.snapshot.entries[entry_id or ""].needs


@pytest.mark.parametrize(
    "question",
    ["我家老爷子满八十了 有个高龄的补贴 是多少钱", "高龄津贴要多大年纪才能领",
     "九十岁的老人高龄补贴去哪点申请"],
)
def test_old_age_allowance_is_answered_without_an_invented_figure(
    shipped: KnowledgeBase, question: str
) -> None:
    a = shipped.ask(question)
    assert a.status == "answer" and not a.out_of_scope and a.answer is not None
    # an old-age question is not answered with the disability allowances or another programme's amounts
    assert "elderly" in _needs(shipped, a.entry_id)
    body = a.answer.split("依据")[0]
    assert not re.search(r"\d+\s*(元|周岁|岁)", body)  # the facts hold no age or amount for it
    assert "乡镇（街道）" in body


def test_old_age_allowance_counted_as_income_goes_to_the_income_rules(shipped: KnowledgeBase) -> None:
    a = shipped.ask("我妈领的高龄补贴 评低保的时候要不要算进收入")
    assert a.status == "answer" and "income-counting" in _needs(shipped, a.entry_id)


@pytest.mark.parametrize(
    "question", ["屋头老人领着养老保险的钱 评低保受不受影响", "拿着养老金的人可以评低保吗"]
)
def test_a_pension_beside_dibao_is_an_income_question(shipped: KnowledgeBase, question: str) -> None:
    # the pension is the background, the question is 低保's: not referred to the pension office
    a = shipped.ask(question)
    assert not a.out_of_scope
    assert a.status in ("answer", "clarify")
    if a.status == "answer":
        assert "income-counting" in _needs(shipped, a.entry_id)
    else:
        assert any("income-counting" in _needs(shipped, c.entry_id) for c in a.candidates)


@pytest.mark.parametrize(
    ("question", "referral"),
    [("到民政局办离婚手续要带些哪样", "marriage"), ("养老金每个月几号到账", "pension")],
)
def test_another_offices_paperwork_is_referred(shipped: KnowledgeBase, question: str, referral: str) -> None:
    a = shipped.ask(question)
    assert (a.status, a.out_of_scope, a.referral) == ("fallback", True, referral)
