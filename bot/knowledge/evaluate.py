"""Measure matching quality on the development set (tests/knowledge/devset.yaml).

The dev set is written independently of the entries' phrasings. Each item is either
`{q, refs: [item numbers]}` (any entry resting on one of those items is right) or
`{q, out_of_scope: true}`. An entry is "on" the items it cites (refs) and the items of its topic
(tests/knowledge/topic_items.yaml: the labels are topic items, the refs only what an answer cites).
Top-1 counts a direct answer from an entry on a right item; top-3 counts such an entry among the
first three candidates; the false-answer rate is the share of out-of-scope questions that got a
policy answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge.base import Answer, KnowledgeBase

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "tests" / "knowledge" / "devset.yaml"
DEFAULT_TOPIC_ITEMS = DEFAULT_DEVSET.with_name("topic_items.yaml")
TOP1_MIN = 0.90
FALSE_ANSWER_MAX = 0.05


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    refs: frozenset[int]
    out_of_scope: bool
    kind: str


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    answer: Answer
    answered_items: frozenset[int] = frozenset()  # the answered entry's refs and topic items
    candidate_items: tuple[frozenset[int], ...] = ()  # the same for each candidate, best first

    @property
    def top1(self) -> bool:
        return self.answer.status == "answer" and bool(self.case.refs & self.answered_items)

    @property
    def top3(self) -> bool:
        return any(self.case.refs & items for items in self.candidate_items[:3])


@dataclass
class Evaluation:
    in_scope: list[Outcome] = field(default_factory=list)
    out_of_scope: list[Outcome] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return sum(o.top1 for o in self.in_scope) / max(len(self.in_scope), 1)

    @property
    def top3(self) -> float:
        return sum(o.top3 for o in self.in_scope) / max(len(self.in_scope), 1)

    @property
    def false_answer_rate(self) -> float:
        return sum(o.answer.status == "answer" for o in self.out_of_scope) / max(len(self.out_of_scope), 1)

    @property
    def passed(self) -> bool:
        return self.top1 >= TOP1_MIN and self.false_answer_rate <= FALSE_ANSWER_MAX

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """kind -> (top-1 hits, questions) for the in-scope questions."""
        table: dict[str, tuple[int, int]] = {}
        for o in self.in_scope:
            hits, total = table.get(o.case.kind, (0, 0))
            table[o.case.kind] = (hits + o.top1, total + 1)
        return table


def load_devset(path: Path = DEFAULT_DEVSET) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):  # tolerate a top-level `questions:` key
        data = next(iter(data.values()))
    cases = []
    for raw in data:
        out = bool(raw.get("out_of_scope"))
        refs = frozenset(int(r) for r in raw.get("refs") or [])
        if not out and not refs:
            raise ValueError(f"dev-set question {raw.get('q')!r} has neither refs nor out_of_scope")
        cases.append(Case(str(raw["q"]), refs, out, str(raw.get("kind", "out_of_scope" if out else "plain"))))
    return cases


def load_topic_items(path: Path = DEFAULT_TOPIC_ITEMS) -> dict[str, frozenset[int]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(topic): frozenset(int(i) for i in items or ()) for topic, items in data.items()}


def evaluate(
    kb: KnowledgeBase, cases: list[Case], topic_items: dict[str, frozenset[int]] | None = None
) -> Evaluation:
    topics = load_topic_items() if topic_items is None else topic_items
    entries = kb.snapshot.entries

    def items(entry_id: str | None, refs: tuple[int, ...]) -> frozenset[int]:
        entry = entries.get(entry_id or "")
        return frozenset(refs) | (topics.get(entry.topic, frozenset()) if entry else frozenset())

    result = Evaluation()
    for case in cases:
        answer = kb.ask(case.question)
        outcome = Outcome(case, answer, items(answer.entry_id, answer.refs),
                          tuple(items(c.entry_id, c.refs) for c in answer.candidates))
        (result.out_of_scope if case.out_of_scope else result.in_scope).append(outcome)
    return result
