"""A linear model's weights in memory: n-gram → row of a matrix, without a Python object per n-gram.

The danger and intent models (`bot.linear`) weigh about 400,000 distinct n-grams. Held as dicts
(n-gram string → row or weight) they took about 60 MB of every worker, most of it the string and
the dict entry of each n-gram, against 4 MB for the weights themselves. Here the n-grams of a model
are one string (`Rows.text`, the model file's vocabulary, separated by newlines) with each row's
start and end in it, and a message's n-grams are found by their string hash: a sorted array of the
rows' hashes (`hash()`, which a `str` caches, so hashing a message's n-grams costs nothing twice)
searched for all of them in one call. About 20 bytes per n-gram instead of about 150. The weights
are float32 where they are float32 values (scikit-learn fits float32 features in float32), summed in
float64: the same scores as the float64 copies, in half the memory.

Python's `str` hash is 64 bits and salted per process, so the hashes are computed when a model is
read, never stored (mixed with each n-gram's length, see `_hashes`). Two different n-grams with
one hash would share a row: with a few hundred thousand n-grams that happens about once in 10^8
starts (logged), and a message's n-gram taken for a model's about once in 10^13 lookups; neither
can change more than one n-gram's weight.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

log = logging.getLogger(__name__)
SEPARATOR = "\n"  # between n-grams in `Rows.text`; no n-gram holds one (clauses are split on it)
_CHUNK = 16_384  # n-grams made into strings at once while hashing (bounds the peak at load)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant (the golden ratio's) to mix lengths in


class Rows:
    """Numbered n-grams, found by hash. `starts` / `ends` are each row's slice of `text`."""

    __slots__ = ("ends", "hashes", "order", "starts", "text")

    def __init__(self, text: str, starts: np.ndarray, ends: np.ndarray) -> None:
        self.text, self.starts, self.ends = text, starts, ends
        hashes = np.empty(len(starts), np.uint64)
        for low in range(0, len(starts), _CHUNK):
            chunk = [text[s:e] for s, e in zip(starts[low:low + _CHUNK].tolist(),
                                                 ends[low:low + _CHUNK].tolist(), strict=True)]
            hashes[low:low + len(chunk)] = _hashes(chunk)
        self.order = np.argsort(hashes, kind="stable").astype(np.int32)
        self.hashes = hashes[self.order]
        if np.any(self.hashes[1:] == self.hashes[:-1]):
            log.warning("two n-grams of a model share a hash this run: they share one weight")

    @classmethod
    def of(cls, grams: Sequence[str]) -> Rows:
        """Rows numbered in the order of `grams`."""
        lengths = np.fromiter(map(len, grams), np.int64, len(grams))
        ends = np.cumsum(lengths + 1) - 1
        return cls(SEPARATOR.join(grams), ends - lengths, ends)

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[str]:
        text = self.text
        return (text[s:e] for s, e in zip(self.starts.tolist(), self.ends.tolist(), strict=True))

    def rows_of(self, grams: Sequence[str]) -> np.ndarray:
        """The rows of those of `grams` that have one (`locate` without their positions)."""
        at, hit = self._search(grams)
        return self.order[at[hit]]

    def locate(self, grams: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(the positions in `grams` of those that have a row, ascending; their rows)."""
        at, hit = self._search(grams)
        positions = np.flatnonzero(hit)
        return positions, self.order[at[positions]]

    def _search(self, grams: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Where each of `grams` would sit among the sorted hashes, and whether it is there."""
        if not grams or not len(self.hashes):
            return np.empty(0, np.intp), np.empty(0, np.bool_)
        wanted = _hashes(grams)
        at = np.searchsorted(self.hashes, wanted)
        np.minimum(at, len(self.hashes) - 1, out=at)
        return at, self.hashes[at] == wanted


def _hashes(grams: Sequence[str]) -> np.ndarray:
    """Each n-gram's `hash()` mixed with its length. CPython hashes a string's bytes as stored, one,
    two or four per character, so `ir` and `物` (U+7269, the bytes of `ir`) hash alike; strings of
    the same bytes and length are stored alike, hence equal."""
    count = len(grams)
    lengths = np.fromiter(map(len, grams), np.uint64, count)
    return np.fromiter(map(hash, grams), np.int64, count).view(np.uint64) ^ (lengths * _MIX)


class Column(Mapping[str, float]):
    """One class's n-gram weights: a column of a matrix (n-gram row × class) that its model's classes
    share. An n-gram the class has no weight for is 0.0 in the matrix and absent from the column
    (training keeps no weight that small)."""

    __slots__ = ("column", "dense", "flat", "matrix", "rows")

    def __init__(self, rows: Rows, matrix: np.ndarray, column: int) -> None:
        self.rows = rows
        self.matrix = matrix
        self.column = column
        self.flat = matrix[:, column]  # a view: contiguous when the matrix has one column
        self.dense = bool(np.all(self.flat != 0.0))  # every row weighs (one class): nothing to drop

    @classmethod
    def of(cls, table: Mapping[str, float]) -> Column:
        """A column of its own for an n-gram → weight table."""
        return cls(Rows.of(list(table)), np.array(list(table.values()), np.float64).reshape(-1, 1), 0)

    def weights_of(self, grams: Sequence[str]) -> np.ndarray:
        """The weights of those of `grams` this class weighs (`found` without their positions)."""
        weights = self.flat[self.rows.rows_of(grams)]
        return weights if self.dense else weights[weights != 0.0]

    def found(self, grams: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(the positions in `grams` of those this class weighs, their weights)."""
        positions, rows = self.rows.locate(grams)
        weights = self.flat[rows]
        kept = weights != 0.0
        return positions[kept], weights[kept]

    def __getitem__(self, gram: str) -> float:
        weights = self.found([gram])[1]
        if not len(weights):
            raise KeyError(gram)
        return float(weights[0])

    def __iter__(self) -> Iterator[str]:
        return (gram for gram, _ in self.pairs())

    def pairs(self) -> Iterator[tuple[str, float]]:
        """(n-gram, weight) of every n-gram this class weighs, in row order (`items()` looks each
        n-gram up again)."""
        weights = self.flat.tolist()
        return ((gram, weight) for gram, weight in zip(self.rows, weights, strict=True) if weight != 0.0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self.flat))


@dataclass(frozen=True, slots=True)
class Weights:
    """One class's weights: the score of a message is bias + the sum over its n-grams. A plain
    n-gram → weight mapping given here becomes a `Column` of its own."""

    bias: float
    table: Column

    def __post_init__(self) -> None:
        if not isinstance(self.table, Column):
            object.__setattr__(self, "table", Column.of(self.table))

    def score(self, features: Iterable[str]) -> float:
        return self.score_and_strongest(features)[0]

    def score_and_strongest(self, features: Iterable[str]) -> tuple[float, float]:
        """The score, and the weight of the strongest single n-gram for the class (0.0 if none
        weighs for it), from one lookup of the message's n-grams."""
        grams = list(features)
        weights = self.table.weights_of(grams)
        score = self.bias + float(weights.sum(dtype=np.float64))
        if len(weights) < len(grams):  # an n-gram without a weight counts 0.0
            weights = np.append(weights, 0.0)
        return score, float(weights.max()) if len(weights) else 0.0

    def explain(self, features: Iterable[str], top: int = 6) -> list[tuple[str, float]]:
        """The n-grams that weighed most in this message's score, strongest first."""
        grams = list(features)
        positions, weights = self.table.found(grams)
        best = np.argsort(-np.abs(weights), kind="stable")[:top]
        return [(grams[positions[i]], float(weights[i])) for i in best.tolist()]


@dataclass(frozen=True, slots=True)
class Classes:
    """Several classes' weights laid out as one matrix (n-gram → a row, a column per class), so
    scoring a message for all of them is one lookup per n-gram and one sum, not one per n-gram
    and class."""

    weights: dict[str, Weights]
    labels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _rows: Rows = field(init=False, repr=False, compare=False)
    _matrix: np.ndarray = field(init=False, repr=False, compare=False)  # n-gram row × class
    _bias: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        labels = tuple(self.weights)
        tables = [self.weights[label].table for label in labels]
        first = tables[0] if tables else Column.of({})
        if all(t.matrix is first.matrix and t.column == i for i, t in enumerate(tables)):
            rows, matrix = first.rows, first.matrix  # trained or read together: already one matrix
        else:
            grams = sorted(set().union(*tables))
            number = {g: i for i, g in enumerate(grams)}
            rows, matrix = Rows.of(grams), np.zeros((len(grams), len(labels)))
            for column, table in enumerate(tables):
                for gram, weight in table.pairs():
                    matrix[number[gram], column] = weight
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_matrix", matrix)
        object.__setattr__(self, "_bias", np.array([self.weights[label].bias for label in labels]))

    def scores(self, features: Iterable[str]) -> np.ndarray:
        """Every class's score, in the order of `labels`."""
        return self._bias + self._matrix[self._rows.rows_of(list(features))].sum(axis=0, dtype=np.float64)
