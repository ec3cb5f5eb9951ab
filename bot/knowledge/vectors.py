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

from collections import Counter
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


@dataclass(frozen=True, slots=True)
class Query:
    """One text in a space: its n-gram feature numbers and L2-normalised TF-IDF weights."""

    features: np.ndarray
    weights: np.ndarray


class Postings:
    """A features × items CSR matrix, multiplied by one query at a time."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        matrix = matrix.tocsr()
        self.matrix = matrix
        self.items = matrix.shape[1]
        self._indptr = matrix.indptr.astype(np.int64)
        self._indices = matrix.indices
        self._data = matrix.data.astype(np.float32)

    def dot(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Dense vector over the items: sum of weight × row for each query feature."""
        if not len(features):
            return np.zeros(self.items, np.float32)
        starts, ends = self._indptr[features], self._indptr[features + 1]
        lengths = ends - starts
        positions = np.repeat(ends - np.cumsum(lengths), lengths) + np.arange(int(lengths.sum()))
        scale = np.repeat(weights, lengths)
        return np.bincount(self._indices[positions], self._data[positions] * scale, self.items).astype(
            np.float32
        )


class Space:
    """One TF-IDF space over the phrasings' texts (characters or sound keys)."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, norm="l2", dtype=np.float32)
        matrix = self._vectorizer.fit_transform(documents).tocsr()
        self.vocabulary: dict[str, int] = self._vectorizer.vocabulary_
        self._idf = self._vectorizer.idf_.astype(np.float64)
        self.matrix = matrix  # phrasings × features
        self.size = matrix.shape[0]
        self._postings = Postings(matrix.T)
        self._squared = Postings(matrix.multiply(matrix).T)  # for containment

    def query(self, text: str) -> Query:
        counts = Counter(g for g in ngrams(text) if g in self.vocabulary)
        features = np.fromiter((self.vocabulary[g] for g in counts), np.int64, len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * self._idf[features]
        norm = float(np.sqrt(weights @ weights)) or 1.0
        return Query(features, (weights / norm).astype(np.float32))

    def row(self, query: Query) -> sparse.csr_matrix:
        """The query as a 1 × features sparse row (for scikit-learn models)."""
        return sparse.csr_matrix(
            (query.weights, query.features, [0, len(query.features)]), shape=(1, len(self.vocabulary))
        )

    def cosine(self, query: Query) -> np.ndarray:
        """One value per phrasing."""
        return self._postings.dot(query.features, query.weights)

    def cosines(self, queries: Sequence[Query]) -> np.ndarray:
        """Queries × phrasings, as one sparse product (for the clauses of a long message)."""
        lengths = [len(q.features) for q in queries]
        rows = sparse.csr_matrix(
            (
                np.concatenate([q.weights for q in queries]),
                np.concatenate([q.features for q in queries]),
                np.r_[0, np.cumsum(lengths)],
            ),
            shape=(len(queries), len(self.vocabulary)),
        )
        scores: np.ndarray = (rows @ self._postings.matrix).toarray()
        return scores

    def containment(self, query: Query) -> np.ndarray:
        return self._squared.dot(query.features, np.ones(len(query.features), np.float32))

    def centroids(self, owners: np.ndarray, count: int) -> Postings:
        """Each target's phrasings summed and L2-normalised: a nearest-centroid (Rocchio) model."""
        assign = sparse.csr_matrix(
            (np.ones(len(owners), np.float32), (owners, np.arange(len(owners)))), shape=(count, self.size)
        )
        summed = (assign @ self.matrix).tocsr()
        norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return Postings((sparse.diags(1.0 / norms).astype(np.float32) @ summed).T)
