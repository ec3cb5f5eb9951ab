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

from bot.knowledge.csr import Csr, Postings
from bot.knowledge.vectors import Cells, Query, Space

LIMIT = 300_000  # postings a question may walk before its targets are pooled
BUDGET = 100_000  # postings the rough ranking that picks the pool walks
POOL = 64  # targets scored exactly when it does


@dataclass(frozen=True, slots=True)
class Similarities:
    dot: np.ndarray  # text phrasings | sound phrasings | text centroids | sound centroids
    mass: np.ndarray  # the same layout: squared weight of each on the query's n-grams
    clause: np.ndarray | None  # per phrasing, its best sound cosine with a clause (None: one clause)
    last: np.ndarray | None  # the same over the last two clauses
    pool: np.ndarray | None = None  # the targets scored exactly (None: all of them)
    extra: np.ndarray | None = None  # the query's product with the extra columns (None: pooled)


class Retrieval:
    def __init__(
        self,
        text: Space,
        sounds: Space,
        owners: np.ndarray,
        count: int,
        extra: Csr | None = None,
    ) -> None:
        """`owners`: the target of each phrasing (phrasings of a target are contiguous).

        `extra`: joint features × columns (the need classifier's weights), multiplied in the same pass.
        scipy joins the blocks here, at build time (csr.py: a worker only reads the arrays).
        """
        from scipy import sparse

        self._text, self._sounds, self._count = text, sounds, count
        centroids = text.centroids(owners, count), sounds.centroids(owners, count)
        # features (text n-grams, then sound n-grams) × (text phrasings | sound phrasings | text
        # centroids | sound centroids | extra): one product of the joint query gives every similarity
        width = text.width
        joint = sparse.csr_matrix((text.width + sounds.width, 0)) if extra is None else extra.scipy()
        text_centroids, sound_centroids = (c.matrix.scipy() for c in centroids)
        blocks = [
            [text.matrix.scipy().T, None, text_centroids, None, joint[:width]],
            [None, sounds.matrix.scipy().T, None, sound_centroids, joint[width:]],
        ]
        self._columns = 2 * text.size + 2 * count  # where the extra columns start
        self._joint = Postings(Csr.of(sparse.bmat(blocks, format="csr", dtype=np.float32)))
        # each feature's postings among the similarities (the budget counts those, not `extra`)
        self._lengths = np.concatenate(
            [
                np.bincount(space.matrix.indices, minlength=space.width) + np.diff(centroid.matrix.indptr)
                for space, centroid in zip((text, sounds), centroids, strict=True)
            ]
        )
        self._centroid_rows = [Csr.of(c.T) for c in (text_centroids, sound_centroids)]  # targets × features
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
            best, last = _best(self._sounds.cosines(clauses)) if clauses.count else (None, None)
            return Similarities(dot[:cut], mass[:cut], best, last, extra=dot[cut:])
        order = np.argsort(lengths, kind="stable")
        kept = np.sort(order[np.cumsum(lengths[order]) <= BUDGET])
        dot, mass = self._joint.dot_and_containment(query.features[kept], query.weights[kept])
        dot, mass = dot[: self._columns], mass[: self._columns]
        kept_features = query.features[kept]
        where = np.minimum(np.searchsorted(kept_features, clauses.features + self._text.width), len(kept) - 1)
        rare = kept_features[where] == clauses.features + self._text.width if len(kept) else where < 0
        few = Cells(clauses.owner[rare], clauses.features[rare], clauses.weights[rare], clauses.count)
        best, last = _best(self._sounds.cosines(few)) if clauses.count else (None, None)
        rough = blend(Similarities(dot, mass, best, last))
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
        dot[phrasings] = _products(self._text.matrix, phrasings, *text)
        on_sounds = _on_query(self._sounds.matrix, phrasings, sound[0])
        dot[size + phrasings] = _sums(on_sounds, sound[1], len(phrasings))
        mass[size + phrasings] = _squares(on_sounds, len(phrasings))
        dot[2 * size + pool] = _products(self._centroid_rows[0], pool, *text)
        dot[2 * size + count + pool] = _products(self._centroid_rows[1], pool, *sound)
        best = last = None
        if clauses.count:
            grams = np.unique(clauses.features)  # the clauses' sound n-grams
            weights = np.zeros((len(grams), clauses.count))
            weights[np.searchsorted(grams, clauses.features), clauses.owner] = clauses.weights
            row, where, value = _on_query(self._sounds.matrix, phrasings, grams)
            per_clause = np.stack(
                [np.bincount(row, value * weights[where, c], len(phrasings)) for c in range(clauses.count)]
            )
            best, last = np.zeros(size), np.zeros(size)
            best[phrasings], last[phrasings] = _best(per_clause)
        return Similarities(dot, mass, best, last, pool)


def _best(per_clause: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clauses × phrasings cosines: each phrasing's best over all clauses and over the last two."""
    best: np.ndarray = per_clause.max(axis=0)
    last: np.ndarray = per_clause[-2:].max(axis=0)
    return best, last


Entries = tuple[np.ndarray, np.ndarray, np.ndarray]


def _on_query(matrix: Csr, rows: np.ndarray, features: np.ndarray) -> Entries:
    """The entries of some rows of a CSR matrix on the query's (sorted) features, in row order.

    Each entry's row (its place in `rows`), its feature's place in `features`, and its value. Plain
    numpy on the CSR arrays: scipy's row indexing and products cost more than the arithmetic here.
    """
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    positions = np.repeat(ends - np.cumsum(lengths), lengths) + np.arange(int(lengths.sum()))
    columns = matrix.indices[positions]
    where = np.minimum(np.searchsorted(features, columns), max(len(features) - 1, 0))
    hit = features[where] == columns if len(features) else np.zeros(len(columns), bool)
    row = np.repeat(np.arange(len(rows)), lengths)
    return row[hit], where[hit], matrix.data[positions[hit]].astype(np.float64)


def _sums(entries: Entries, weights: np.ndarray, rows: int) -> np.ndarray:
    """Each row's dot product with the query (in float64, entry by entry, as scipy's product)."""
    row, where, value = entries
    summed: np.ndarray = np.bincount(row, value * weights[where], rows)
    return summed


def _squares(entries: Entries, rows: int) -> np.ndarray:
    """Each row's sum of squared values (by segments, as scipy's row sums)."""
    row, _, value = entries
    summed = np.zeros(rows)
    if len(row):
        starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
        summed[row[starts]] = np.add.reduceat(value * value, starts)
    return summed


def _products(
    matrix: Csr, rows: np.ndarray, features: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    return _sums(_on_query(matrix, rows, features), weights, len(rows))
