"""Rank FAQ entries (and the places questions belong to instead) for a question.

Targets are the entries and the referral categories of `lexicon/outside.yaml` (questions that
belong to another office: pensions, ordinary 医保, 户口 …); both are ranked the same way, so a
near-miss question finds the place it belongs to instead of the closest policy entry.

1. Retrieval (vectors.py): TF-IDF over character n-grams of the normalised text and of the
   merged-pinyin sound key, as sparse products with every phrasing at once; per target the best
   phrasing's cosine and containment, the cosine with the target's centroid, and for long
   messages the best cosine of any one clause. A fixed blend of these picks a shortlist.
2. Re-scoring of the shortlist only: rapidfuzz on sound keys (typo-level closeness, also of a
   phrasing inside a long story), shared domain terms, and the scope cues.
3. A logistic model over those features, fitted by cross-validation on the development sets
   (calibration.py), turns them into the probability that the target is right: that is the score
   (0–100) the answer/clarify/fallback decision uses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge.calibration import FEATURES, Model, decision_row
from bot.knowledge.classifier import NeedClassifier
from bot.knowledge.normalize import Key, Normalizer
from bot.knowledge.retrieval import Retrieval, Similarities
from bot.knowledge.schema import Entry
from bot.knowledge.segments import Segments
from bot.knowledge.training import Example
from bot.knowledge.typos import TypoFixer
from bot.knowledge.vectors import Grams, Pair, Query, Space

CACHE = 4096  # rankings kept per snapshot (a new snapshot starts empty)
SHORTLIST = 12  # targets re-scored in full
# and the best-retrieved of the need read likeliest, however worded ("配偶去世后收入下降了" had no
# bereavement entry to score). 5-fold utility at corpus weight 1 over 4,957 questions: 0 picks
# 0.646, 3 0.654, 6 0.658, 8 and 10 0.659 (3 picks of the top two needs 0.650)
NEED_PICKS = 6
FULL_LENGTH = 8  # syllables from which a phrasing's containment in a query counts fully
LENGTH_SCALE = 40.0  # syllables at which the `length` feature saturates
RETRIEVAL = {
    "text_cosine": 1.0,
    "sound_cosine": 1.0,
    "sound_contained": 0.7,
    "centroid": 0.6,
    "text_centroid": 0.4,
    "clause": 0.8,
}


@dataclass(frozen=True, slots=True)
class Scored:
    entry: Entry
    score: float  # 0–100: the calibrated probability that this entry answers the question
    features: dict[str, float]


@dataclass(frozen=True, slots=True)
class Ranking:
    entries: list[Scored]  # best first
    referral: str | None  # the best referral category on the shortlist
    referral_score: float
    confidence: float  # probability (0–1) that the best entry is right
    outside: float  # probability (0–1) that the question is out of scope
    needs: list[tuple[str, float]]  # what the need classifier reads in the question, likeliest first
    outside_read: float = 0.0  # the classifier's probability that the question is out of scope


def _without(state: dict[str, object], name: str) -> dict[str, object]:
    """An object's state for pickling (a snapshot built in a child process), one cache left out."""
    return {key: value for key, value in state.items() if key != name}


def _best_other(values: np.ndarray) -> np.ndarray:
    """For each value, the largest of the others (0 when alone)."""
    if len(values) < 2:
        return np.zeros(len(values))
    first, second = np.sort(values)[::-1][:2]
    others: np.ndarray = np.where(np.arange(len(values)) == int(np.argmax(values)), second, first)
    return others


class Index:
    def __init__(
        self,
        entries: tuple[Entry, ...],
        normalizer: Normalizer,
        model: Model,
        training: tuple[Example, ...] = (),
    ) -> None:
        self.entries = entries
        self.normalizer = normalizer
        self.model = model
        self.referrals = tuple(normalizer.lexicon.outside)
        groups = [entry.phrasings for entry in entries] + [
            normalizer.lexicon.outside[r] for r in self.referrals
        ]
        self._labels = [entry.needs or (entry.topic,) for entry in entries] + [
            (f"referral:{r}",) for r in self.referrals
        ]
        keys: list[Key] = []
        owners: list[int] = []
        self._terms: list[frozenset[str]] = []
        for number, phrasings in enumerate(groups):
            found = list(dict.fromkeys(normalizer.key(p) for p in phrasings)) or [Key("", "")]
            keys.extend(found)
            owners.extend([number] * len(found))
            self._terms.append(frozenset().union(*(normalizer.terms(k) for k in found)))
        self._keys = keys
        self._owners = np.asarray(owners)
        self._starts = np.flatnonzero(np.r_[True, self._owners[1:] != self._owners[:-1]])
        self._ends = np.r_[self._starts[1:], len(owners)]
        self._segments = Segments(self._starts, self._ends)
        self._count = len(groups)
        examples = [normalizer.key(example.text[:500]) for example in training]
        grams = Grams([k.text for k in (*keys, *examples)] + [k.sounds for k in (*keys, *examples)])
        self._text = Space([k.text for k in keys], [k.text for k in examples], grams)
        self._sounds = Space([k.sounds for k in keys], [k.sounds for k in examples], grams)
        self._pair = Pair(self._text, self._sounds)
        lengths = np.asarray([len(k.sounds) for k in keys], np.float32)
        self._weight = np.minimum(1.0, lengths / FULL_LENGTH)
        self._is_referral = np.r_[np.zeros(len(entries)), np.ones(len(self.referrals))]
        self._typos = TypoFixer([k.text for k in keys], [k.text for k in examples])
        self._cached = functools.lru_cache(maxsize=CACHE)(self._rank)
        from scipy import sparse  # fitting only: what a worker unpickles holds plain arrays (csr.py)
        rows = sparse.vstack(
            [
                sparse.hstack([self._text.matrix.scipy(), self._sounds.matrix.scipy()]),
                sparse.hstack([self._text.extra.scipy(), self._sounds.extra.scipy()]),
            ]
        ).tocsr()
        labels = [self._labels[o] for o in owners] + [example.labels for example in training]
        weights = [1.0] * len(owners) + [model.training_weight] * len(training)
        self._needs = NeedClassifier(rows, labels, weights)
        self._retrieval = Retrieval(self._text, self._sounds, self._owners, self._count, self._needs.gains)
        column = {name: i for i, name in enumerate(self._needs.classes)}
        self._membership = np.zeros((self._count, len(column)), np.float32)  # targets × need classes
        for number, names in enumerate(self._labels):
            self._membership[number, [column[n] for n in set(names) if n in column]] = 1.0
        vocabulary = sorted(frozenset().union(*self._terms))
        self._term_column = {term: i for i, term in enumerate(vocabulary)}
        self._term_matrix = np.zeros((self._count, len(vocabulary)), np.float32)  # targets × domain terms
        for number, terms in enumerate(self._terms):
            self._term_matrix[number, [self._term_column[t] for t in terms]] = 1.0

    def __getstate__(self) -> dict[str, object]:
        return _without(self.__dict__, "_cached")

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._cached = functools.lru_cache(maxsize=CACHE)(self._rank)

    def _best_phrasings(self, targets: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """For each target, the number of its phrasing with the highest score (all at once)."""
        starts = self._starts[targets]
        lengths = self._ends[targets] - starts
        offsets = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        values = scores[positions]
        best = np.repeat(np.maximum.reduceat(values, offsets), lengths)
        hits = np.flatnonzero(values == best)  # the first hit of each target is its best phrasing
        picked: np.ndarray = positions[hits[np.searchsorted(hits, offsets)]]
        return picked

    def _per_target(self, values: np.ndarray) -> np.ndarray:
        return self._segments.max(values)

    def _columns(self, found: Similarities) -> dict[str, np.ndarray]:
        """Per target: best phrasing's cosines and containment, centroid cosines, best clauses'."""
        size, count = len(self._keys), self._count  # phrasings, targets
        dot = found.dot
        columns = {
            "text_cosine": self._per_target(dot[:size]),
            "sound_cosine": self._per_target(dot[size : 2 * size]),
            "sound_contained": self._per_target(found.mass[size : 2 * size] * self._weight),
            "centroid": dot[2 * size + count :],
            "text_centroid": dot[2 * size : 2 * size + count],
        }
        if found.clause is not None and found.last is not None:
            columns["clause"] = self._per_target(found.clause)
            columns["last"] = self._per_target(found.last)
        else:
            columns["clause"] = columns["last"] = columns["sound_cosine"]
        return columns

    def _blend(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        """The retrieval score that picks the shortlist: a fixed blend of the similarities."""
        blended: np.ndarray = sum(
            (RETRIEVAL[name] * columns[name] for name in RETRIEVAL), np.zeros(self._count)
        )
        return blended

    def _rough(self, rough: Similarities, query: Query) -> np.ndarray:
        """The blend that picks a pooled question's pool, which holds the read need's likeliest targets."""
        blended = self._blend(self._columns(rough))
        read = int(np.argmax(self._needs.probabilities(query.features, query.weights)))
        of_need = np.flatnonzero(self._membership[:, read])
        blended[of_need[np.argsort(-blended[of_need], kind="stable")[: 2 * NEED_PICKS]]] = np.inf
        return blended

    def features(self, key: Key) -> tuple[np.ndarray, np.ndarray, float]:
        """The shortlisted target numbers (best retrieval first), their feature rows, P(out of scope)."""
        targets, rows, probabilities = self._features(key)
        return targets, rows, self._needs.outside(probabilities) if len(targets) else 0.0

    def _features(self, key: Key) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not key.sounds:
            return np.zeros(0, int), np.zeros((0, len(FEATURES))), np.zeros(0)
        fixed = self._typos(key.text)
        if fixed != key.text:
            key = Key(fixed, self.normalizer.key(fixed).sounds, key.clauses)
        query, clauses = self._pair.query(key.text, key.sounds, key.clauses)
        features, weights = query.features, query.weights
        found = self._retrieval.similarities(query, clauses, lambda rough: self._rough(rough, query))
        need_probabilities = self._needs.probabilities(features, weights, found.extra)
        columns = self._columns(found)
        retrieval = self._blend(columns)
        if found.pool is not None:  # over the postings budget: only the pool was scored exactly
            outside = np.ones(self._count, bool)
            outside[found.pool] = False
            retrieval[outside] = -np.inf
        picked = np.argpartition(-retrieval, SHORTLIST)[:SHORTLIST] if len(retrieval) > SHORTLIST else None
        candidates = np.arange(len(retrieval)) if picked is None else picked
        if picked is not None:
            of_need = np.flatnonzero(self._membership[:, int(np.argmax(need_probabilities))])
            of_need = of_need[np.isfinite(retrieval[of_need])]
            picks = of_need[np.argsort(-retrieval[of_need], kind="stable")[:NEED_PICKS]]
            candidates = np.union1d(candidates, picks)
        shortlist = candidates[np.argsort(-retrieval[candidates], kind="stable")]
        top = retrieval[shortlist]
        runner_up = np.where(np.arange(len(shortlist)) == 0, top[1] if len(top) > 1 else 0.0, top[0])
        cent = columns["centroid"][shortlist]
        size = len(self._keys)
        best = found.dot[size : 2 * size] + found.mass[size : 2 * size] * self._weight
        phrasings = [self._keys[i].sounds for i in self._best_phrasings(shortlist, best)]
        closeness = (
            process.cdist([key.sounds], phrasings, scorer=fuzz.partial_ratio, dtype=np.float32)[0] / 100,
            process.cdist([key.sounds], phrasings, scorer=fuzz.ratio, dtype=np.float32)[0] / 100,
        )
        mentioned = self.normalizer.terms(key)
        query_terms = [self._term_column[t] for t in mentioned if t in self._term_column]
        shared = self._term_matrix[shortlist][:, query_terms].sum(axis=1) / max(len(mentioned), 1)
        membership = self._membership[shortlist]
        constant = np.ones(len(shortlist))
        values = {name: column[shortlist] for name, column in columns.items()}
        values.update(
            fuzzy=closeness[0],
            ratio=closeness[1],
            terms=shared,
            relative=top / (float(top[0]) or 1.0),
            lead=top - runner_up,
            centroid_lead=cent - _best_other(cent),
            referral=self._is_referral[shortlist],
            in_scope_cue=constant * float(self.normalizer.in_scope(key)),
            out_cue=constant * float(self.normalizer.out_of_scope(key)),
            length=constant * min(len(key.sounds), LENGTH_SCALE) / LENGTH_SCALE,
            need=membership @ need_probabilities,
            top_need=membership[:, int(np.argmax(need_probabilities))],
        )
        rows = np.column_stack([values[name] for name in FEATURES]).astype(np.float64)
        return shortlist, rows, need_probabilities

    def rank(self, key: Key, limit: int = 5) -> Ranking:
        """The ranking of a question (cached: residents ask the same short questions again and again)."""
        return self._cached(key, limit)

    def cache_clear(self) -> None:
        """Forget the cached rankings (for benchmarks measuring questions never asked before)."""
        self._cached.cache_clear()

    def _rank(self, key: Key, limit: int) -> Ranking:
        targets, rows, need_probabilities = self._features(key)
        if not len(targets):
            return Ranking([], None, 0.0, 0.0, 0.0, [])
        scores = self.model.probability(rows)
        order = np.argsort(-scores, kind="stable")
        entries: list[Scored] = []
        referral, referral_score = None, 0.0
        for i in order:
            target, score = int(targets[i]), float(scores[i])
            if target >= len(self.entries):
                if referral is None:
                    referral, referral_score = self.referrals[target - len(self.entries)], score
            elif len(entries) < limit:
                features = dict(zip(FEATURES, map(float, rows[i]), strict=True))
                entries.append(Scored(self.entries[target], round(100 * score, 2), features))
        cues = entries[0].features if entries else dict(zip(FEATURES, map(float, rows[0]), strict=True))
        best = entries[0].score / 100 if entries else 0.0
        second = entries[1].score / 100 if len(entries) > 1 else 0.0
        outside_read = self._needs.outside(need_probabilities)
        row = decision_row(best, second, referral_score, cues, len(key.clauses), outside_read)[None, :]
        confidence = float(self.model.right.probability(row)[0])
        outside = float(self.model.outside.probability(row)[0])
        needs = self._needs.top(need_probabilities)
        return Ranking(
            entries, referral, round(100 * referral_score, 2), confidence, outside, needs, outside_read
        )

    def search(self, key: Key, limit: int = 5) -> list[Scored]:
        """Entries best first, each with its calibrated score (0–100)."""
        return self.rank(key, limit).entries
