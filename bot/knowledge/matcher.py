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

import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

from bot.knowledge.calibration import FEATURES, Model, decision_row
from bot.knowledge.classifier import NeedClassifier
from bot.knowledge.normalize import Key, Normalizer
from bot.knowledge.schema import Entry
from bot.knowledge.vectors import Space

SHORTLIST = 12  # targets re-scored in full
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


class _TypoFixer:
    """Replace a character the knowledge never uses by the one its neighbours usually go with.

    Shape typos (低俣, 临吋救助, 救肋) sound nothing like the intended word, so sound keys cannot
    help; but an unknown character between two known ones is almost always a slip, and the
    phrasings show which character belongs there (低_ -> 保, 救_ -> 助).
    """

    def __init__(self, texts: list[str]) -> None:
        self._known = set("".join(texts))
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            pairs.update(itertools.pairwise(text))
        self._after: dict[str, Counter[str]] = {}
        self._before: dict[str, Counter[str]] = {}
        for (left, right), count in pairs.items():
            self._after.setdefault(left, Counter())[right] = count
            self._before.setdefault(right, Counter())[left] = count

    def __call__(self, text: str) -> str:
        chars = list(text)
        for i, ch in enumerate(chars):
            if ch in self._known or not ("\u3400" <= ch <= "\u9fff"):
                continue
            after = self._after.get(chars[i - 1], Counter()) if i > 0 else Counter()
            before = self._before.get(chars[i + 1], Counter()) if i + 1 < len(chars) else Counter()
            options = set(after) | set(before)
            if options:
                chars[i] = max(options, key=lambda x: ((x in after) + (x in before), after[x] + before[x], x))
        return "".join(chars)


def _best_other(values: np.ndarray) -> np.ndarray:
    """For each value, the largest of the others (0 when alone)."""
    if len(values) < 2:
        return np.zeros(len(values))
    first, second = np.sort(values)[::-1][:2]
    others: np.ndarray = np.where(np.arange(len(values)) == int(np.argmax(values)), second, first)
    return others


class Index:
    def __init__(self, entries: tuple[Entry, ...], normalizer: Normalizer, model: Model) -> None:
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
        self._count = len(groups)
        self._text = Space([k.text for k in keys])
        self._sounds = Space([k.sounds for k in keys])
        self._centroids = self._sounds.centroids(self._owners, self._count)
        self._text_centroids = self._text.centroids(self._owners, self._count)
        lengths = np.asarray([len(k.sounds) for k in keys], np.float32)
        self._weight = np.minimum(1.0, lengths / FULL_LENGTH)
        self._is_referral = np.r_[np.zeros(len(entries)), np.ones(len(self.referrals))]
        self._typos = _TypoFixer([k.text for k in keys])
        both = sparse.hstack([self._text.matrix, self._sounds.matrix]).tocsr()
        self._needs = NeedClassifier(both, [self._labels[o] for o in owners])

    def _per_target(self, values: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(values, self._starts)

    def features(self, key: Key) -> tuple[np.ndarray, np.ndarray]:
        """The shortlisted target numbers (best retrieval first) and their feature rows."""
        return self._features(key)[:2]

    def _features(self, key: Key) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not key.sounds:
            return np.zeros(0, int), np.zeros((0, len(FEATURES))), np.zeros(0)
        fixed = self._typos(key.text)
        if fixed != key.text:
            key = Key(fixed, self.normalizer.key(fixed).sounds, key.clauses)
        text_query = self._text.query(key.text)
        sound_query = self._sounds.query(key.sounds)
        text_cos = self._text.cosine(text_query)
        sound_cos = self._sounds.cosine(sound_query)
        contained = self._sounds.containment(sound_query) * self._weight
        need_probabilities = self._needs.probabilities(
            np.r_[text_query.features, sound_query.features + len(self._text.vocabulary)],
            np.r_[text_query.weights, sound_query.weights],
        )
        columns = {
            "text_cosine": self._per_target(text_cos),
            "sound_cosine": self._per_target(sound_cos),
            "sound_contained": self._per_target(contained),
            "centroid": self._centroids.dot(sound_query.features, sound_query.weights),
            "text_centroid": self._text_centroids.dot(text_query.features, text_query.weights),
        }
        if len(key.clauses) > 1:
            per_clause = self._sounds.cosines([self._sounds.query(c) for c in key.clauses])
            columns["clause"] = self._per_target(per_clause.max(axis=0))
            columns["last"] = self._per_target(per_clause[-2:].max(axis=0))
        else:
            columns["clause"] = columns["last"] = columns["sound_cosine"]
        retrieval = np.sum([RETRIEVAL[name] * columns[name] for name in RETRIEVAL], axis=0)
        picked = np.argpartition(-retrieval, SHORTLIST)[:SHORTLIST] if len(retrieval) > SHORTLIST else None
        candidates = np.arange(len(retrieval)) if picked is None else picked
        shortlist = candidates[np.argsort(-retrieval[candidates], kind="stable")]
        best = float(retrieval[shortlist[0]]) or 1.0
        query_terms = self.normalizer.terms(key)
        in_scope = float(self.normalizer.in_scope(key))
        out_cue = float(self.normalizer.out_of_scope(key))
        length = min(len(key.sounds), LENGTH_SCALE) / LENGTH_SCALE
        top_need = self._needs.top(need_probabilities, 1)[0][0]
        top = retrieval[shortlist]
        runner_up = np.where(np.arange(len(shortlist)) == 0, top[1] if len(top) > 1 else 0.0, top[0])
        cent = columns["centroid"][shortlist]
        cent_other = _best_other(cent)
        rows = []
        for i, target in enumerate(shortlist):
            start = self._starts[target]
            end = self._starts[target + 1] if target + 1 < self._count else len(self._keys)
            phrasing = self._keys[start + int(np.argmax(sound_cos[start:end] + contained[start:end]))]
            shared = len(query_terms & self._terms[target]) / len(query_terms) if query_terms else 0.0
            values = {name: float(columns[name][target]) for name in columns}
            values.update(
                fuzzy=fuzz.partial_ratio(phrasing.sounds, key.sounds) / 100 if phrasing.sounds else 0.0,
                ratio=fuzz.ratio(phrasing.sounds, key.sounds) / 100,
                terms=shared,
                relative=float(retrieval[target]) / best,
                lead=float(top[i] - runner_up[i]),
                centroid_lead=float(cent[i] - cent_other[i]),
                referral=float(self._is_referral[target]),
                in_scope_cue=in_scope,
                out_cue=out_cue,
                length=length,
                need=self._needs.share(need_probabilities, self._labels[target]),
                top_need=float(top_need in self._labels[target]),
            )
            rows.append([values[name] for name in FEATURES])
        return shortlist, np.asarray(rows), need_probabilities

    def rank(self, key: Key, limit: int = 5) -> Ranking:
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
        row = decision_row(best, second, referral_score, cues, len(key.clauses))[None, :]
        confidence = float(self.model.right.probability(row)[0])
        outside = float(self.model.outside.probability(row)[0])
        needs = self._needs.top(need_probabilities)
        return Ranking(entries, referral, round(100 * referral_score, 2), confidence, outside, needs)

    def search(self, key: Key, limit: int = 5) -> list[Scored]:
        """Entries best first, each with its calibrated score (0–100)."""
        return self.rank(key, limit).entries
