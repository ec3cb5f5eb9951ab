"""How well the safety net hears danger: recall, false alarms and the numbers, on a labelled set.

The development set (tests/safety/devset/dev.yaml, written independently of the cue file; see
its PROVENANCE.md) has danger messages with their category and the numbers a caseworker would
give first, and look-alikes (hyperbole, negation, past events, food names, policy questions …).
A danger message counts as heard when any category fires; its numbers are right when every
number the writer listed is among those the reply gives (the writer accepts any order and extra
numbers). CI fails below RECALL_MIN or above FALSE_ALARM_MAX.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.safety.detector import Danger

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "tests" / "safety" / "devset" / "dev.yaml"
RECALL_MIN = 0.98
FALSE_ALARM_MAX = 0.05


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    danger: bool
    category: str
    numbers: tuple[str, ...]
    form: str
    context: str


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    found: Danger | None

    @property
    def right(self) -> bool:
        return (self.found is not None) == self.case.danger

    @property
    def numbers_right(self) -> bool:
        given = {n.number for n in self.found.numbers} if self.found else set()
        return set(self.case.numbers) <= given


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def danger(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.danger]

    @property
    def lookalikes(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.case.danger]

    @property
    def recall(self) -> float:
        return _share(self.danger, lambda o: o.found is not None)

    @property
    def false_alarms(self) -> float:
        return _share(self.lookalikes, lambda o: o.found is not None)

    @property
    def numbers_right(self) -> float:
        heard = [o for o in self.danger if o.found is not None]
        return _share(heard, lambda o: o.numbers_right)

    @property
    def passed(self) -> bool:
        return self.recall >= RECALL_MIN and self.false_alarms <= FALSE_ALARM_MAX

    def by(self, key: Callable[[Case], str]) -> dict[str, tuple[int, int]]:
        """key → (right, total)."""
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for outcome in self.outcomes:
            total[key(outcome.case)] += 1
            right[key(outcome.case)] += outcome.right
        return {k: (right[k], total[k]) for k in sorted(total)}


def _share(items: list[Outcome], test: Callable[[Outcome], bool]) -> float:
    return sum(map(test, items)) / len(items) if items else 0.0


def load_devset(path: Path = DEFAULT_DEVSET) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(str(item["text"]), bool(item["danger"]), str(item["category"]),
                 tuple(str(n) for n in item.get("numbers") or ()), str(item.get("form", "")),
                 str(item.get("context", ""))) for item in raw]


def evaluate(detect: Callable[[str], Danger | None], cases: list[Case]) -> Result:
    return Result([Outcome(case, detect(case.text)) for case in cases])


def report(result: Result, verbose: bool = False) -> list[str]:
    lines: list[str] = []
    if verbose:
        for outcome in result.outcomes:
            if not outcome.right:
                kind = "MISS " if outcome.case.danger else "FALSE"
                got = f" -> {','.join(outcome.found.categories)}" if outcome.found else ""
                lines.append(f"{kind} [{outcome.case.category}/{outcome.case.form}] {outcome.case.text}{got}")
            elif outcome.case.danger and not outcome.numbers_right:
                given = ",".join(n.number for n in outcome.found.numbers) if outcome.found else ""
                want = list(outcome.case.numbers)
                lines.append(f"NUMS  [{outcome.case.category}] want {want} got {given}: "
                             f"{outcome.case.text}")
    lines.append("by category (danger: heard / look-alike: not raised):")
    for category, (right, total) in result.by(lambda c: ("+" if c.danger else "-") + c.category).items():
        lines.append(f"  {category:<18} {right}/{total}")
    forms = result.by(lambda c: c.form)
    lines.append("by form: " + "  ".join(f"{k} {r}/{t}" for k, (r, t) in forms.items()))
    contexts = result.by(lambda c: c.context)
    lines.append("by context: " + "  ".join(f"{k} {r}/{t}" for k, (r, t) in contexts.items()))
    lines.append(
        f"danger {len(result.danger)}  recall {result.recall:.3f}  look-alikes {len(result.lookalikes)}  "
        f"false alarms {result.false_alarms:.3f}  numbers right {result.numbers_right:.3f}  "
        f"(need recall >= {RECALL_MIN}, false alarms <= {FALSE_ALARM_MAX})")
    return lines
