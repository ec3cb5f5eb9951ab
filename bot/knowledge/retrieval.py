"""A question's similarities with every phrasing and target centroid, within a budget of postings.

One product of the joint query (text n-grams, then sound n-grams) with one matrix gives, for every
phrasing and target at once, the text and sound cosines, the sound containment mass and the
centroid cosines (vectors.py), and the need classifier's linear scores (its weights are columns of
the same matrix: one pass over the posting lists instead of two); the clauses of a long message
get their own product.

Its cost is the length of the query's posting lists. At the shipped size that is at most 26,000
postings for the development sets' longest stories; at 10,000 entries a long story's common
characters sit in most of the 55,000 phrasings, up to a million postings and 10–20 ms. So when a
question's postings exceed LIMIT, its rarest n-grams that fit in BUDGET rank every target roughly
(with the matcher's own blend), and the best POOL targets are then scored exactly, with all the
n-grams, from their own rows (a few hundred phrasings and centroids). Everything downstream sees
exact values for the pool and the shortlist is taken from the pool, so it is exact whenever the
pool holds it (1,190 of the 1,202 dev questions at 10,000 synthetic entries; the others differ in
the order or the last places of the shortlist). At the shipped size every value is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from bot.knowledge.vectors import Cells, Postings, Query, Space

LIMIT = 300_000  # postings a question may walk before its targets are pooled
BUDGET = 100_000  # postings the rough ranking that picks the pool walks
POOL = 64  # targets scored exactly when it does


@dataclass(frozen=True, slots=True)
class Similarities:
    dot: np.ndarray  # text phrasings | sound phrasings | text centroids | sound centroids
    mass: np.ndarray  # the same layout: squared weight of each on the query's n-grams
    clauses: np.ndarray | None  # clauses × phrasings, sound cosines (None: one clause)
    pool: np.ndarray | None = None  # the targets scored exactly (None: all of them)
    extra: np.ndarray | None = None  # the query's product with the extra columns (None: pooled)


class Retrieval:
    def __init__(
        self,
        text: Space,
        sounds: Space,
        owners: np.ndarray,
        count: int,
        extra: sparse.csr_matrix | None = None,
    ) -> None:
        """`owners`: the target of each phrasing (phrasings of a target are contiguous).

        `extra`: joint features × columns (the need classifier's weights), multiplied in the same pass.
        """
        self._text, self._sounds, self._count = text, sounds, count
        centroids = text.centroids(owners, count), sounds.centroids(owners, count)
        # features (text n-grams, then sound n-grams) × (text phrasings | sound phrasings | text
        # centroids | sound centroids | extra): one product of the joint query gives every similarity
        width = text.width
        extra = sparse.csr_matrix((text.width + sounds.width, 0)) if extra is None else extra.tocsr()
        blocks = [
            [text.matrix.T, None, centroids[0].matrix, None, extra[:width]],
            [None, sounds.matrix.T, None, centroids[1].matrix, extra[width:]],
        ]
        self._columns = 2 * text.size + 2 * count  # where the extra columns start
        self._joint = Postings(sparse.bmat(blocks, format="csr", dtype=np.float32))
        # each feature's postings among the similarities (the budget counts those, not `extra`)
        self._lengths = np.concatenate(
            [
                np.bincount(space.matrix.indices, minlength=space.width) + np.diff(centroid.matrix.indptr)
                for space, centroid in zip((text, sounds), centroids, strict=True)
            ]
        )
        self._centroid_rows = [c.matrix.T.tocsr() for c in centroids]  # targets × features
        self._starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        self._ends = np.r_[self._starts[1:], len(owners)]

    def similarities(
        self, query: Query, clauses: Cells, blend: Callable[[Similarities], np.ndarray]
    ) -> Similarities:
        """Exact similarities, or (over the budget) exact ones for the pool that `blend` picks."""
        lengths = self._lengths[query.features]
        if int(lengths.sum()) <= LIMIT:
            text = int(np.searchsorted(query.features, self._text.width))  # mass: sound n-grams only
            dot, mass = self._joint.dot_and_containment(query.features, query.weights, text)
            cut = self._columns
            per_clause = self._sounds.cosines(clauses) if clauses.count else None
            return Similarities(dot[:cut], mass[:cut], per_clause, extra=dot[cut:])
        order = np.argsort(lengths, kind="stable")
        kept = np.sort(order[np.cumsum(lengths[order]) <= BUDGET])
        dot, mass = self._joint.dot_and_containment(query.features[kept], query.weights[kept])
        dot, mass = dot[: self._columns], mass[: self._columns]
        kept_features = query.features[kept]
        where = np.minimum(np.searchsorted(kept_features, clauses.features + self._text.width), len(kept) - 1)
        rare = kept_features[where] == clauses.features + self._text.width if len(kept) else where < 0
        few = Cells(clauses.owner[rare], clauses.features[rare], clauses.weights[rare], clauses.count)
        rough = blend(Similarities(dot, mass, self._sounds.cosines(few) if clauses.count else None))
        pool = np.sort(np.argpartition(-rough, POOL)[:POOL]) if self._count > POOL else np.arange(self._count)
        return self._exact(pool, query, clauses)

    def _exact(self, pool: np.ndarray, query: Query, clauses: Cells) -> Similarities:
        """The pool's similarities from its own rows; zero for every other phrasing and target."""
        lengths = self._ends[pool] - self._starts[pool]
        offsets = np.cumsum(lengths) - lengths
        phrasings = np.repeat(self._starts[pool] - offsets, lengths) + np.arange(int(lengths.sum()))
        split = int(np.searchsorted(query.features, self._text.width))
        text = query.features[:split], query.weights[:split]
        sound = query.features[split:] - self._text.width, query.weights[split:]
        size, count = self._text.size, self._count
        dot, mass = np.zeros(2 * size + 2 * count), np.zeros(2 * size + 2 * count)
        phrasing_text = _on_query(self._text.matrix[phrasings], text[0])
        phrasing_sound = _on_query(self._sounds.matrix[phrasings], sound[0])
        dot[phrasings] = phrasing_text @ text[1]
        dot[size + phrasings] = phrasing_sound @ sound[1]
        mass[size + phrasings] = phrasing_sound.multiply(phrasing_sound).sum(axis=1).A1
        dot[2 * size + pool] = _on_query(self._centroid_rows[0][pool], text[0]) @ text[1]
        dot[2 * size + count + pool] = _on_query(self._centroid_rows[1][pool], sound[0]) @ sound[1]
        per_clause = None
        if clauses.count:
            grams = np.unique(clauses.features)  # the clauses' sound n-grams
            weights = np.zeros((len(grams), clauses.count))
            weights[np.searchsorted(grams, clauses.features), clauses.owner] = clauses.weights
            per_clause = np.zeros((clauses.count, size))
            per_clause[:, phrasings] = (_on_query(self._sounds.matrix[phrasings], grams) @ weights).T
        return Similarities(dot, mass, per_clause, pool)


def _on_query(rows: sparse.csr_matrix, features: np.ndarray) -> sparse.csr_matrix:
    """`rows` restricted to the query's (sorted) features, with the query's feature order as columns."""
    where = np.minimum(np.searchsorted(features, rows.indices), max(len(features) - 1, 0))
    hit = features[where] == rows.indices if len(features) else np.zeros(len(rows.indices), bool)
    row = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    return sparse.csr_matrix(
        (rows.data[hit].astype(np.float64), (row[hit], where[hit])), shape=(rows.shape[0], len(features))
    )
