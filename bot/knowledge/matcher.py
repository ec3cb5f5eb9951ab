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
import itertools
import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.knowledge.normalize import Key, Normalizer
from bot.knowledge.schema import Entry

RETRIEVE = 40  # phrasings re-scored with rapidfuzz
RETRIEVE_DOCS = 15  # entries added by whole-entry similarity
BIGRAM_WEIGHT = 1.5
POSTINGS_BUDGET = 2_500  # postings visited per query before common features are skipped
SHORTLIST = 4  # candidates per wanted result that get an exact cosine
W_COSINE, W_SOUNDS, W_TEXT, W_DOC, W_TERMS = 0.4, 0.4, 0.2, 0.6, 0.3


@dataclass(frozen=True, slots=True)
class Scored:
    entry: Entry
    score: float


def _features(sounds: str) -> Counter[str]:
    grams: Counter[str] = Counter(sounds)
    grams.update(sounds[i : i + 2] for i in range(len(sounds) - 1))
    return grams


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values())) or 1.0


class _Vectors:
    """TF-IDF vectors with an inverted index, for cosine similarity against a query."""

    def __init__(self, documents: list[Counter[str]], idf: dict[str, float]) -> None:
        self._idf = idf
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.vectors: list[dict[str, float]] = []
        self.norms: list[float] = []
        for number, features in enumerate(documents):
            weights = self.weights(features)
            self.vectors.append(weights)
            self.norms.append(_norm(weights))
            for feature, weight in weights.items():
                self.postings.setdefault(feature, []).append((number, weight))

    def weights(self, features: Counter[str]) -> dict[str, float]:
        return {
            f: (1 + math.log(tf) if tf >= 1 else tf)
            * self._idf.get(f, 0.0)
            * (BIGRAM_WEIGHT if len(f) == 2 else 1.0)
            for f, tf in features.items()
            if tf > 0
        }

    def cosine(self, query: dict[str, float], number: int, query_norm: float) -> float:
        vector = self.vectors[number]
        dot = sum(weight * vector.get(feature, 0.0) for feature, weight in query.items())
        return dot / (query_norm * self.norms[number])

    def top(self, query: dict[str, float], limit: int) -> list[tuple[int, float]]:
        """The `limit` items most similar to the query, with exact cosines, best first.

        Posting lists are walked rarest feature first; once POSTINGS_BUDGET postings have been
        visited, commoner features are left out of the shortlist (not of the final cosines), which
        keeps large knowledge bases fast without changing results at the shipped size.
        """
        partial: dict[int, float] = {}
        visited = 0
        for feature, weight in sorted(query.items(), key=lambda fw: len(self.postings.get(fw[0], ()))):
            posting = self.postings.get(feature, ())
            if visited and visited + len(posting) > POSTINGS_BUDGET:
                break
            visited += len(posting)
            for number, other in posting:
                partial[number] = partial.get(number, 0.0) + weight * other
        shortlist = heapq.nlargest(SHORTLIST * limit, partial, key=lambda n: partial[n] / self.norms[n])
        query_norm = _norm(query)
        exact = [(n, self.cosine(query, n, query_norm)) for n in shortlist]
        return heapq.nlargest(limit, exact, key=lambda item: item[1])


class _TypoFixer:
    """Replace a character the knowledge never uses by the one its neighbours usually go with.

    Shape typos (低俣, 临吋救助, 救肋) sound nothing like the intended word, so sound keys cannot
    help; but an unknown character between two known ones is almost always a slip, and the
    phrasings show which character belongs there (低_ -> 保, 救_ -> 助).
    """

    def __init__(self, texts: list[str]) -> None:
        self._known = {ch for text in texts for ch in text}
        self._after: dict[str, Counter[str]] = {}
        self._before: dict[str, Counter[str]] = {}
        for text in texts:
            for left, right in itertools.pairwise(text):
                self._after.setdefault(left, Counter())[right] += 1
                self._before.setdefault(right, Counter())[left] += 1

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


class Index:
    def __init__(self, entries: tuple[Entry, ...], normalizer: Normalizer) -> None:
        self.entries = entries
        self.normalizer = normalizer
        owners: list[int] = []
        keys: list[Key] = []
        documents: list[Counter[str]] = [Counter() for _ in entries]
        self._terms: list[frozenset[str]] = []
        for number, entry in enumerate(entries):
            terms: set[str] = set()
            for phrasing in dict.fromkeys(normalizer.key(p) for p in entry.phrasings):
                if phrasing.sounds:
                    owners.append(number)
                    keys.append(phrasing)
                    documents[number].update(_features(phrasing.sounds))
                    terms |= normalizer.terms(phrasing)
            self._terms.append(frozenset(terms))
        self._owners = owners
        self._keys = keys
        features = [_features(k.sounds) for k in keys]
        document_frequency: Counter[str] = Counter(f for doc in documents for f in doc)
        total = max(len(entries), 1)
        idf = {f: math.log(1 + total / df) for f, df in document_frequency.items()}
        self._typos = _TypoFixer([k.text for k in keys])
        self._phrasings = _Vectors(features, idf)
        self._documents = _Vectors(documents, idf)

    def search(self, key: Key, limit: int = 5) -> list[Scored]:
        """Entries best first, each with its score (0–100)."""
        if not key.sounds:
            return []
        fixed = self._typos(key.text)
        if fixed != key.text:
            key = self.normalizer.key(fixed)
        query = self._phrasings.weights(_features(key.sounds))
        query_norm = _norm(query)
        best = self._phrasings.top(query, RETRIEVE)
        pool = {self._owners[p] for p, _ in best}
        pool.update(n for n, _ in self._documents.top(query, RETRIEVE_DOCS))
        query_terms = self.normalizer.terms(key)
        phrasing_scores: dict[int, float] = {}
        for phrasing, cosine in best:
            candidate = self._keys[phrasing]
            score = (
                100 * W_COSINE * cosine
                + W_SOUNDS * fuzz.ratio(key.sounds, candidate.sounds)
                + W_TEXT * fuzz.ratio(key.text, candidate.text)
            )
            owner = self._owners[phrasing]
            phrasing_scores[owner] = max(score, phrasing_scores.get(owner, 0.0))
        scores = {}
        for number in pool:
            coverage = len(query_terms & self._terms[number]) / len(query_terms) if query_terms else 0.0
            scores[number] = (
                phrasing_scores.get(number, 0.0)
                + 100 * W_DOC * self._documents.cosine(query, number, query_norm)
                + 100 * W_TERMS * coverage
            ) / (1 + W_DOC + W_TERMS)
        ranked = heapq.nlargest(limit, scores.items(), key=lambda item: item[1])
        return [Scored(self.entries[number], round(min(score, 100.0), 2)) for number, score in ranked]
