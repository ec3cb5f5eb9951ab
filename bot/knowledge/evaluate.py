"""Measure matching quality on the development set (tests/knowledge/devset.yaml).

The dev set is written independently of the entries' phrasings. Each item is either
`{q, refs: [item numbers]}` (any entry resting on one of those items is right) or
`{q, out_of_scope: true}`. Top-1 counts a direct answer with a right item; top-3 counts a right
item among the first three candidates; the false-answer rate is the share of out-of-scope
questions that got a policy answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge.base import Answer, KnowledgeBase

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "tests" / "knowledge" / "devset.yaml"
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

    @property
    def top1(self) -> bool:
        return self.answer.status == "answer" and bool(self.case.refs & set(self.answer.refs))

    @property
    def top3(self) -> bool:
        return any(self.case.refs & set(c.refs) for c in self.answer.candidates[:3])


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


def evaluate(kb: KnowledgeBase, cases: list[Case]) -> Evaluation:
    result = Evaluation()
    for case in cases:
        outcome = Outcome(case, kb.ask(case.question))
        (result.out_of_scope if case.out_of_scope else result.in_scope).append(outcome)
    return result
