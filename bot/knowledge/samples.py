"""Each training question as the shipped index would see it: a shortlist of labelled feature rows.

What `tuning.py` learns from. A sample is one question of the training corpus (training.py) with
its shortlist's feature rows (matcher.Index.features) and, per candidate, whether it is a right
answer (one of its needs is wanted; a referral category is right for an out-of-scope question of
that category). Out-of-fold samples come from an index whose need classifier did not learn the
question, so every sample looks like a new resident's question does. The folds are every
FOLDS-th question of each set, so each fold mixes kinds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from bot.knowledge.answer import VAGUE_LENGTH
from bot.knowledge.calibration import PRIOR
from bot.knowledge.evaluate import Case, load_topic_items
from bot.knowledge.matcher import Index
from bot.knowledge.normalize import Normalizer
from bot.knowledge.snapshot import Snapshot
from bot.knowledge.training import Example

FOLDS = 5
TRAINING = "training"  # the set name of the training corpus in reports


@dataclass(frozen=True, slots=True)
class Sample:
    case: Case
    group: str  # set name
    rows: np.ndarray  # shortlist × features
    labels: np.ndarray  # 1 where the candidate is right
    referral: np.ndarray  # 1 where the candidate is a referral category
    clauses: int
    vague: bool
    outside_read: float = 0.0  # the need classifier's P(out of scope)


def case_of(example: Example) -> Case:
    """A training question as an evaluation case (its needs, or its referral)."""
    if example.out_of_scope:
        return Case(example.text, out_of_scope=True, kind=example.form, referral=example.referral)
    return Case(example.text, needs=frozenset(example.labels), kind=example.form)


def samples(index: Index, normalizer: Normalizer, cases: list[Case], group: str) -> list[Sample]:
    topics = load_topic_items()
    found = []
    for case in cases:
        key = normalizer.key(case.question[:500])
        targets, rows, outside_read = index.features(key)
        labels, referral = [], []
        for target in map(int, targets):
            if target >= len(index.entries):
                name = index.referrals[target - len(index.entries)]
                labels.append(case.out_of_scope and case.referral in (None, name))
                referral.append(True)
            else:
                labels.append(case.accepts(index.entries[target], topics))
                referral.append(False)
        found.append(
            Sample(
                case,
                group,
                rows,
                np.asarray(labels, float),
                np.asarray(referral, bool),
                len(key.clauses),
                len(key.sounds) <= VAGUE_LENGTH,
                outside_read,
            )
        )
    return found


def out_of_fold_samples(snapshot: Snapshot, weight: float, count: int = FOLDS) -> list[Sample]:
    """Samples of every training question, each from an index whose classifier did not learn it.

    The folds are those of `folds()` (every `count`-th question), so `tuning.cross_decisions` on
    these samples decides each fold with weights and thresholds fitted without it as well.
    """
    examples = snapshot.training
    model = dataclasses.replace(PRIOR, training_weight=weight)
    found: list[Sample | None] = [None] * len(examples)
    for fold in range(count):
        kept = tuple(e for n, e in enumerate(examples) if n % count != fold)
        index = Index(tuple(snapshot.entries.values()), snapshot.normalizer, model, kept)
        numbers = [n for n in range(len(examples)) if n % count == fold]
        for n, sample in zip(
            numbers,
            samples(index, snapshot.normalizer, [case_of(examples[n]) for n in numbers], TRAINING),
            strict=True,
        ):
            found[n] = sample
    return [s for s in found if s is not None]


def folds(all_samples: list[Sample], count: int = FOLDS) -> list[int]:
    """A fold number per sample: every `count`-th question of each set, so each fold mixes kinds."""
    numbers, seen = [], dict[str, int]()
    for s in all_samples:
        n = seen.get(s.group, 0)
        numbers.append(n % count)
        seen[s.group] = n + 1
    return numbers
