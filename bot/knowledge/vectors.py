"""Character n-gram TF-IDF spaces (scikit-learn) and their similarities as sparse products.

A space is fitted once per knowledge snapshot on every phrasing: scikit-learn's TfidfVectorizer
learns the vocabulary and IDF weights and builds the phrasing matrix, which is kept transposed
(features × phrasings, CSR): the product of a query with it walks only the posting lists of the
query's own n-grams, an inverted index with no loop over the entries.

Two similarities come out of it:
- cosine: the usual TF-IDF cosine between the query and each phrasing;
- containment: the share of a phrasing's weight whose n-grams the query contains, which stays
  high when a short phrasing ("房子垮了") sits inside a long story, where the cosine is diluted.

A query is one row, so the product is done on the CSR arrays directly (numpy gathers and one
`bincount`): scipy's sparse objects cost tens of microseconds each to build, more than the
arithmetic itself. The query side is vectorised from the fitted vocabulary with exactly the
weighting scikit-learn uses (TfidfVectorizer.transform costs about 0.7 ms a call).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

NGRAMS = (1, 3)


def ngrams(text: str, low: int = NGRAMS[0], high: int = NGRAMS[1]) -> list[str]:
    """Character n-grams of a text (spaces kept out of the grams)."""
    grams: list[str] = []
    for part in text.split():
        for n in range(low, high + 1):
            grams.extend(part[i : i + n] for i in range(len(part) - n + 1))
    return grams


class _Grams:
    """A vocabulary's character n-grams as integers, so a text's n-grams are found by numpy.

    Each character of the vocabulary gets a number 1…A (0: a character no n-gram has, or a
    space); an n-gram is the base-(A+1) number of its characters, so n-grams of different
    lengths never collide, and a text's n-grams are looked up with one sorted search.
    """

    def __init__(self, vocabulary: dict[str, int], low: int, high: int) -> None:
        self._low, self._high = low, high
        self._chars = np.asarray(sorted({ord(c) for gram in vocabulary for c in gram}), np.int64)
        self._base = len(self._chars) + 1
        grams = list(vocabulary)
        number = {chr(point): i + 1 for i, point in enumerate(self._chars.tolist())}
        codes = np.asarray([self._code(g, number) for g in grams], np.int64)
        order = np.argsort(codes)
        self._sorted = codes[order]
        self._features = np.asarray([vocabulary[g] for g in grams], np.int64)[order]

    def _ids(self, text: str) -> np.ndarray:
        points = np.frombuffer(text.encode("utf-32-le"), np.uint32).astype(np.int64)
        if not len(self._chars):
            return np.zeros(len(points), np.int64)
        at = np.minimum(np.searchsorted(self._chars, points), len(self._chars) - 1)
        return np.where(self._chars[at] == points, at + 1, 0)

    def _code(self, gram: str, number: dict[str, int]) -> int:
        code = 0
        for ch in gram:
            code = code * self._base + number[ch]
        return code

    def find(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Start, length and feature number of every n-gram of `text` that is in the vocabulary."""
        ids = self._ids(text)
        length = len(ids)
        unknown = np.concatenate(
            [[0], np.cumsum(ids == 0)]
        )  # n-gram i..i+n is whole when no unknown lies inside
        code = np.zeros(length, np.int64)
        codes, starts, sizes = [], [], []
        for n in range(1, min(self._high, length) + 1):
            code = code[: length - n + 1] * self._base + ids[n - 1 :]  # the n-gram from the (n-1)-gram
            if n >= self._low:
                whole = np.flatnonzero(unknown[n:] == unknown[: length - n + 1])
                codes.append(code[whole])
                starts.append(whole)
                sizes.append(np.full(len(whole), n))
        if not codes or not len(self._sorted):
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        found = np.concatenate(codes)
        at = np.minimum(np.searchsorted(self._sorted, found), len(self._sorted) - 1)
        hit = np.flatnonzero(self._sorted[at] == found)
        return np.concatenate(starts)[hit], np.concatenate(sizes)[hit], self._features[at[hit]]


@dataclass(frozen=True, slots=True)
class Query:
    """One text in a space: its n-gram feature numbers and L2-normalised TF-IDF weights."""

    features: np.ndarray
    weights: np.ndarray


class Postings:
    """A features × items CSR matrix, multiplied by queries without building scipy objects."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        matrix = matrix.tocsr()
        self.matrix = matrix
        self.items = matrix.shape[1]
        self._indptr = matrix.indptr.astype(np.int64)
        self._indices = matrix.indices
        self._data = matrix.data.astype(np.float32)
        self._squared = self._data * self._data

    def _positions(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the posting lists of `features` lie in the CSR arrays, and each list's length."""
        starts, ends = self._indptr[features], self._indptr[features + 1]
        lengths = ends - starts
        positions = np.repeat(ends - np.cumsum(lengths), lengths) + np.arange(int(lengths.sum()))
        return positions, lengths

    def dot(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Dense vector over the items: sum of weight × row for each query feature."""
        positions, lengths = self._positions(features)
        scale = np.repeat(weights, lengths)
        return np.bincount(self._indices[positions], self._data[positions] * scale, self.items).astype(
            np.float32
        )

    def dot_and_containment(self, features: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The dot product, and per item the share of its squared weight on the query's features."""
        positions, lengths = self._positions(features)
        items = self._indices[positions]
        dot = np.bincount(items, self._data[positions] * np.repeat(weights, lengths), self.items)
        return dot.astype(np.float32), np.bincount(items, self._squared[positions], self.items).astype(
            np.float32
        )

    def dots(self, owner: np.ndarray, features: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
        """`count` queries × items in one pass (query `owner[i]` has `features[i]` at `weights[i]`)."""
        positions, lengths = self._positions(features)
        cells = np.repeat(owner, lengths) * self.items + self._indices[positions]
        summed = np.bincount(cells, self._data[positions] * np.repeat(weights, lengths), count * self.items)
        return summed.reshape(count, self.items).astype(np.float32)


class Space:
    """One TF-IDF space over the phrasings' texts (characters or sound keys)."""

    def __init__(self, documents: Sequence[str], extra: Sequence[str] = ()) -> None:
        """`extra` (the training corpus) widens the vocabulary and IDF but is not searched."""
        self._vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, norm="l2", dtype=np.float32)
        both = self._vectorizer.fit_transform([*documents, *extra]).tocsr()
        self.vocabulary: dict[str, int] = self._vectorizer.vocabulary_
        self._idf = self._vectorizer.idf_.astype(np.float64)
        matrix = both[: len(documents)]
        self.extra = both[len(documents) :]  # the extra texts' rows (classifier training)
        self.matrix = matrix  # phrasings × features
        self.size = matrix.shape[0]
        self._postings = Postings(matrix.T)
        self._grams = _Grams(self.vocabulary, *NGRAMS)

    def query(self, text: str) -> Query:
        features, counts = np.unique(self._grams.find(text)[2], return_counts=True)
        return Query(features, self._weigh(features, counts, np.zeros(len(features), np.int64), 1)[0])

    def _weigh(
        self, features: np.ndarray, counts: np.ndarray, owner: np.ndarray, owners: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sublinear TF × IDF, L2-normalised per owner (scikit-learn's weighting), and the norms."""
        weights = (1.0 + np.log(counts)) * self._idf[features]
        norms = np.sqrt(np.bincount(owner, weights * weights, owners))
        norms[norms == 0] = 1.0
        return (weights / norms[owner]).astype(np.float32), norms

    def parts(self, parts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each part of a text as its own query, at once: (part, feature, weight) triples.

        The n-grams are found once in the joined text; an n-gram counts for the part it lies in,
        and not at all when it crosses from one part into the next.
        """
        starts, sizes, features = self._grams.find("".join(parts))
        bounds = np.cumsum([0, *map(len, parts)])
        part = np.searchsorted(bounds, starts, side="right") - 1
        inside = starts + sizes <= bounds[part + 1]
        cells, counts = np.unique(part[inside] * len(self.vocabulary) + features[inside], return_counts=True)
        owner, feature = np.divmod(cells, len(self.vocabulary))
        return owner, feature, self._weigh(feature, counts, owner, len(parts))[0]

    def row(self, query: Query) -> sparse.csr_matrix:
        """The query as a 1 × features sparse row (for scikit-learn models)."""
        return sparse.csr_matrix(
            (query.weights, query.features, [0, len(query.features)]), shape=(1, len(self.vocabulary))
        )

    def cosine(self, query: Query) -> np.ndarray:
        """One value per phrasing."""
        return self._postings.dot(query.features, query.weights)

    def cosines(self, parts: Sequence[str]) -> np.ndarray:
        """Parts × phrasings: each part's cosine with every phrasing (the clauses of a long message)."""
        return self._postings.dots(*self.parts(parts), len(parts))

    def centroids(self, owners: np.ndarray, count: int) -> Postings:
        """Each target's phrasings summed and L2-normalised: a nearest-centroid (Rocchio) model."""
        assign = sparse.csr_matrix(
            (np.ones(len(owners), np.float32), (owners, np.arange(len(owners)))), shape=(count, self.size)
        )
        summed = (assign @ self.matrix).tocsr()
        norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return Postings((sparse.diags(1.0 / norms).astype(np.float32) @ summed).T)
