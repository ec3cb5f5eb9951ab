"""Accuracy gate: the shipped knowledge must meet the issue's thresholds on the development set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.base import Sources
from bot.knowledge.evaluate import (
    FALSE_ANSWER_MAX,
    TOP1_MIN,
    Case,
    evaluate,
    load_devset,
)

FIXTURES = Path(__file__).parent / "fixtures" / "faq"


def test_metrics_on_a_hand_checked_set() -> None:
    kb = KnowledgeBase(Sources(faq_dir=FIXTURES))
    cases = [
        Case("低保咋个申请", frozenset({18}), False, "dialect"),
        Case("林时就助是什么", frozenset({11}), False, "homophone"),
        Case("城市低保标准", frozenset({4}), False, "wrong label"),  # answered, wrong item
        Case("明天天气", frozenset(), True, "out_of_scope"),
    ]
    result = evaluate(kb, cases)
    assert [o.top1 for o in result.in_scope] == [True, True, False]
    assert result.top1 == pytest.approx(2 / 3)
    assert result.top3 == pytest.approx(2 / 3)
    assert result.false_answer_rate == 0.0
    assert result.by_kind()["wrong label"] == (0, 1)


def test_devset_loader_rejects_unlabelled(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("- {q: 低保}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="neither refs nor out_of_scope"):
        load_devset(path)


def test_shipped_knowledge_meets_the_thresholds() -> None:
    cases = load_devset()
    assert len(cases) >= 300
    result = evaluate(KnowledgeBase.from_directory(), cases)
    summary = (
        f"top-1 {result.top1:.3f}, top-3 {result.top3:.3f}, false answers {result.false_answer_rate:.3f}"
    )
    assert result.top1 >= TOP1_MIN, summary
    assert result.false_answer_rate <= FALSE_ANSWER_MAX, summary
