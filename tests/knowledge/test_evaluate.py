"""Accuracy gates: the shipped knowledge must meet the issue's thresholds on both development sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.evaluate import (
    DEFAULT_DEVSET,
    GATES,
    RESIDENTS_DEVSET,
    Case,
    evaluate,
    load_devset,
)


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


def test_outcomes_on_a_hand_checked_set(shipped: KnowledgeBase) -> None:
    kb = shipped
    cases = [
        Case("低保咋个申请", refs=frozenset({18})),
        Case("林时就助是什么", needs=frozenset({"linshi"})),
        Case("城市低保标准", needs=frozenset({"medical"}), kind="wrong label"),  # answered, wrong need
        Case("明天天气", out_of_scope=True, referral="none"),
    ]
    result = evaluate(kb, cases)
    assert [o.label for o in result.in_scope] == ["right", "right", "wrong"]
    assert result.right == pytest.approx(2 / 3) and result.wrong == pytest.approx(1 / 3)
    assert result.offered == 0.0 and result.fallback == 0.0
    assert result.oos_answered == 0.0
    assert result.by_kind()["wrong label"] == (0, 1)


def test_loader_reads_both_label_kinds(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "- {q: 低保, refs: [1]}\n- {q: 房子垮了, needs: [disaster, housing], kind: situation}\n"
        "- {q: 养老金, out_of_scope: pension}\n- {q: 天气, out_of_scope: true}\n",
        encoding="utf-8",
    )
    first, second, third, fourth = load_devset(path)
    assert first.refs == {1} and not first.needs
    assert second.needs == {"disaster", "housing"} and second.kind == "situation"
    assert third.out_of_scope and third.referral == "pension"
    assert fourth.out_of_scope and fourth.referral is None


def test_loader_reads_a_training_corpus_file(tmp_path: Path) -> None:
    """A new writer's corpus is measured blind with `eval --devset` before it is trained on."""
    path = tmp_path / "train.yaml"
    path.write_text(
        '- {"text": "房子垮了", "needs": ["disaster"], "form": "dialect", "style": "situation"}\n'
        '- {"text": "养老金咋个领", "referral": "pension", "form": "dialect"}\n',
        encoding="utf-8",
    )
    inside, outside = load_devset(path)
    assert inside.needs == {"disaster"} and inside.kind == "dialect" and not inside.out_of_scope
    assert outside.out_of_scope and outside.referral == "pension"


def test_loader_rejects_unlabelled(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("- {q: 低保}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="neither refs, needs nor out_of_scope"):
        load_devset(path)


def test_first_set_meets_its_gate(shipped: KnowledgeBase) -> None:
    cases = load_devset(DEFAULT_DEVSET)
    assert len(cases) >= 300
    result = evaluate(shipped, cases)
    assert result.passes(GATES["devset"]), result.summary()


def test_residents_set_is_the_independent_one() -> None:
    cases = load_devset(RESIDENTS_DEVSET)
    assert len(cases) >= 440
    assert sum(c.out_of_scope for c in cases) >= 90
    assert all(c.referral for c in cases if c.out_of_scope)


def test_residents_set_meets_its_gate(shipped: KnowledgeBase) -> None:
    result = evaluate(shipped, load_devset(RESIDENTS_DEVSET))
    assert result.passes(GATES["residents"]), result.summary()


def test_residents_set_no_worse_than_measured(shipped: KnowledgeBase) -> None:
    """Options offered and out-of-scope questions recognised stay where they were measured."""
    result = evaluate(shipped, load_devset(RESIDENTS_DEVSET))
    assert result.right + result.offered >= 0.93 and result.oos_recognised >= 0.7, result.summary()


def test_first_set_no_worse_than_measured(shipped: KnowledgeBase) -> None:
    """A floor under the blind figures of the first set (its gate above is not reached)."""
    result = evaluate(shipped, load_devset(DEFAULT_DEVSET))
    assert result.right >= 0.89 and result.wrong <= 0.02 and result.oos_answered <= 0.05, result.summary()
