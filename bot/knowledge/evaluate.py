"""Measure matching quality on the development sets (tests/knowledge/*.yaml).

Two sets, two kinds of label:
- `devset.yaml` (the first set): `{q, refs: [item numbers]}`; an entry resting on one of those
  task-list items is right (an entry is "on" the items it cites and those of its topic,
  tests/knowledge/topic_items.yaml, or for life events and payments those of its needs,
  need_items.yaml); `{q, out_of_scope: true}` for questions outside social assistance.
- `residents.yaml` (written like residents write, see RESIDENTS-PROVENANCE.md): `needs: [ids]` from
  taxonomy.yaml (an entry tagged with one of them is right) or `out_of_scope: <referral id>`.
  A training-corpus file (`{text, needs}` / `{text, referral}`) reads the same way, so a new
  writer's corpus can be measured blind before it is trained on.

For each set the evaluation counts, over the in-scope questions: a right answer, a right option
offered (a clarification listing a right entry), a wrong answer, a fallback; and over the
out-of-scope ones: answered (a policy answer where none should be given) and recognised as out of
scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.answer import Answer
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Entry

HERE = Path(__file__).resolve().parents[2] / "tests" / "knowledge"
DEFAULT_DEVSET = HERE / "devset.yaml"
RESIDENTS_DEVSET = HERE / "residents.yaml"
DEFAULT_TOPIC_ITEMS = HERE / "topic_items.yaml"
DEFAULT_NEED_ITEMS = HERE / "need_items.yaml"


@dataclass(frozen=True, slots=True)
class Gate:
    right_min: float
    wrong_max: float = 1.0
    oos_answered_max: float = 1.0


GATES = {
    "devset": Gate(right_min=0.92, oos_answered_max=0.05),
    "residents": Gate(right_min=0.85, wrong_max=0.04, oos_answered_max=0.05),
}


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    refs: frozenset[int] = frozenset()
    needs: frozenset[str] = frozenset()
    out_of_scope: bool = False
    kind: str = "plain"
    referral: str | None = None

    def accepts(self, entry: Entry, topics: dict[str, frozenset[int]] | None = None) -> bool:
        """A right entry: one of its needs is wanted, or (first set) it is on a wanted item."""
        if self.out_of_scope:
            return False
        if self.needs:
            return bool(self.needs & set(entry.needs))
        topics = topics or {}
        if entry.topic in topics:
            items = set(entry.refs) | topics[entry.topic]
        else:  # life events and payments span programmes: their needs say which items they are on
            items = set(entry.refs).union(*(topics.get(f"need:{n}", frozenset()) for n in entry.needs))
        return bool(self.refs & items)


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    answer: Answer
    right: bool  # answered with a right entry
    offered: bool  # a clarification offering a right entry

    @property
    def label(self) -> str:
        if self.case.out_of_scope:
            return "answered" if self.answer.status == "answer" else "not answered"
        if self.answer.status == "answer":
            return "right" if self.right else "wrong"
        if self.answer.status == "clarify":
            return "offered" if self.offered else "clarify"
        return "fallback"


@dataclass
class Evaluation:
    in_scope: list[Outcome] = field(default_factory=list)
    out_of_scope: list[Outcome] = field(default_factory=list)

    def _share(self, outcomes: list[Outcome], label: str) -> float:
        return sum(o.label == label for o in outcomes) / max(len(outcomes), 1)

    @property
    def right(self) -> float:
        return self._share(self.in_scope, "right")

    @property
    def offered(self) -> float:
        return self._share(self.in_scope, "offered")

    @property
    def wrong(self) -> float:
        return self._share(self.in_scope, "wrong")

    @property
    def fallback(self) -> float:
        return self._share(self.in_scope, "fallback") + self._share(self.in_scope, "clarify")

    @property
    def oos_answered(self) -> float:
        return self._share(self.out_of_scope, "answered")

    @property
    def oos_recognised(self) -> float:
        return sum(o.answer.out_of_scope for o in self.out_of_scope) / max(len(self.out_of_scope), 1)

    def passes(self, gate: Gate) -> bool:
        return (
            self.right >= gate.right_min
            and self.wrong <= gate.wrong_max
            and self.oos_answered <= gate.oos_answered_max
        )

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """kind -> (right answers, questions) for the in-scope questions."""
        table: dict[str, tuple[int, int]] = {}
        for o in self.in_scope:
            hits, total = table.get(o.case.kind, (0, 0))
            table[o.case.kind] = (hits + o.right, total + 1)
        return table

    def summary(self) -> str:
        return (
            f"in scope {len(self.in_scope)}: right answer {self.right:.3f}, right option offered "
            f"{self.offered:.3f}, wrong answer {self.wrong:.3f}, fallback {self.fallback:.3f}; "
            f"out of scope {len(self.out_of_scope)}: answered {self.oos_answered:.3f}, "
            f"recognised {self.oos_recognised:.3f}"
        )


def _case(raw: dict[str, Any]) -> Case:
    question = str(raw.get("q") or raw.get("text") or raw.get("question") or "")
    kind = str(raw.get("kind") or raw.get("form") or "plain")
    out = raw.get("out_of_scope") or raw.get("referral")  # dev-set or training-corpus form
    if out:
        return Case(
            question,
            out_of_scope=True,
            kind=str(raw.get("kind", "out_of_scope")),
            referral=out if isinstance(out, str) else None,
        )
    needs = raw.get("needs") or raw.get("need") or []
    needs = [needs] if isinstance(needs, str) else needs
    refs = frozenset(int(r) for r in raw.get("refs") or [])
    if not question or not (needs or refs):
        raise ValueError(f"dev-set question {question!r} has neither refs, needs nor out_of_scope")
    return Case(question, refs, frozenset(map(str, needs)), False, kind)


def load_devset(path: Path = DEFAULT_DEVSET) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):  # tolerate a top-level `questions:` key
        data = next(iter(data.values()))
    return [_case(raw) for raw in data]


def load_topic_items(
    path: Path = DEFAULT_TOPIC_ITEMS, needs_path: Path = DEFAULT_NEED_ITEMS
) -> dict[str, frozenset[int]]:
    """Topic -> items (topic_items.yaml), and "need:<id>" -> items (need_items.yaml)."""
    table = {}
    for prefix, file in (("", path), ("need:", needs_path)):
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        table.update({prefix + str(k): frozenset(int(i) for i in v or ()) for k, v in data.items()})
    return table


def judge(kb: KnowledgeBase, case: Case, answer: Answer, topics: dict[str, frozenset[int]]) -> Outcome:
    entries = kb.snapshot.entries
    right = answer.status == "answer" and case.accepts(entries[answer.entry_id or ""], topics)
    offered = answer.status == "clarify" and any(
        case.accepts(entries[c.entry_id], topics) for c in answer.candidates if c.entry_id in entries
    )
    return Outcome(case, answer, right, offered)


def evaluate(
    kb: KnowledgeBase, cases: Iterable[Case], topic_items: dict[str, frozenset[int]] | None = None
) -> Evaluation:
    topics = load_topic_items() if topic_items is None else topic_items
    result = Evaluation()
    for case in cases:
        outcome = judge(kb, case, kb.ask(case.question), topics)
        (result.out_of_scope if case.out_of_scope else result.in_scope).append(outcome)
    return result


def sets() -> dict[str, Path]:
    """The development sets shipped in tests/knowledge, by name."""
    return {
        name: path
        for name, path in (("devset", DEFAULT_DEVSET), ("residents", RESIDENTS_DEVSET))
        if path.exists()
    }
