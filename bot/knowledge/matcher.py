"""Rank FAQ entries for a question: n-gram retrieval on sound keys, then rapidfuzz re-scoring.

Retrieval: every phrasing (question and alternatives) is a TF-IDF vector of syllable unigrams and
bigrams of its sound key; cosine similarity through an inverted index finds the closest phrasings
quickly even at 10,000 entries and does not care about word order ("怎么申请低保" vs "低保怎么申请").
Re-scoring: rapidfuzz compares the question with the best phrasings as sounds and as characters,
which rewards phrasings that say the same thing in the same way. An entry's score is the best of
its phrasings, on a 0–100 scale.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.knowledge.normalize import Key, Normalizer
from bot.knowledge.schema import Entry

RETRIEVE = 40  # phrasings re-scored with rapidfuzz
BIGRAM_WEIGHT = 1.5
W_COSINE, W_SOUNDS, W_TEXT = 0.55, 0.30, 0.15


@dataclass(frozen=True, slots=True)
class Scored:
    entry: Entry
    score: float


def _features(sounds: str) -> Counter[str]:
    grams: Counter[str] = Counter(sounds)
    grams.update(sounds[i : i + 2] for i in range(len(sounds) - 1))
    return grams


class Index:
    def __init__(self, entries: tuple[Entry, ...], normalizer: Normalizer) -> None:
        self.entries = entries
        self.normalizer = normalizer
        owners: list[int] = []
        keys: list[Key] = []
        for number, entry in enumerate(entries):
            for phrasing in dict.fromkeys(normalizer.key(p) for p in entry.phrasings):
                if phrasing.sounds:
                    owners.append(number)
                    keys.append(phrasing)
        self._owners = owners
        self._keys = keys
        features = [_features(k.sounds) for k in keys]
        per_entry: dict[int, set[str]] = {}
        for owner, fs in zip(owners, features, strict=True):
            per_entry.setdefault(owner, set()).update(fs)
        document_frequency: Counter[str] = Counter(f for fs in per_entry.values() for f in fs)
        total = max(len(entries), 1)
        self._idf = {f: math.log(1 + total / df) for f, df in document_frequency.items()}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._norms: list[float] = []
        for i, fs in enumerate(features):
            weights = self._weights(fs)
            self._norms.append(math.sqrt(sum(w * w for w in weights.values())) or 1.0)
            for feature, weight in weights.items():
                self._postings.setdefault(feature, []).append((i, weight))

    def _weights(self, features: Counter[str]) -> dict[str, float]:
        return {
            f: (1 + math.log(tf)) * self._idf.get(f, 0.0) * (BIGRAM_WEIGHT if len(f) == 2 else 1.0)
            for f, tf in features.items()
        }

    def search(self, key: Key, limit: int = 5) -> list[Scored]:
        """Entries best first, each with its best phrasing's score (0–100)."""
        if not key.sounds:
            return []
        query = self._weights(_features(key.sounds))
        query_norm = math.sqrt(sum(w * w for w in query.values())) or 1.0
        dots: dict[int, float] = {}
        for feature, weight in query.items():
            for phrasing, other in self._postings.get(feature, ()):
                dots[phrasing] = dots.get(phrasing, 0.0) + weight * other
        best = heapq.nlargest(RETRIEVE, dots.items(), key=lambda item: item[1] / self._norms[item[0]])
        scores: dict[int, float] = {}
        for phrasing, dot in best:
            cosine = dot / (self._norms[phrasing] * query_norm)
            candidate = self._keys[phrasing]
            score = (
                100 * W_COSINE * cosine
                + W_SOUNDS * fuzz.ratio(key.sounds, candidate.sounds)
                + W_TEXT * fuzz.ratio(key.text, candidate.text)
            )
            owner = self._owners[phrasing]
            if score > scores.get(owner, -1.0):
                scores[owner] = score
        ranked = heapq.nlargest(limit, scores.items(), key=lambda item: item[1])
        return [Scored(self.entries[number], round(min(score, 100.0), 2)) for number, score in ranked]
