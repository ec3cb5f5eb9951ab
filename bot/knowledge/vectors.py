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
arithmetic itself. The query side is vectorised from the fitted vocabulary (one dict look-up per
n-gram: cheaper than a numpy search, whose fixed cost per call dominates at a question's size)
with exactly the weighting scikit-learn uses (TfidfVectorizer.transform costs about 0.7 ms a call).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

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
        """`extra` (the training corpus) widens the vocabulary and IDF but is not searched.

        scikit-learn is imported here, not at the top: a server builds its index in a child process
        (`KnowledgeBase(isolated=True)`) and receives the fitted arrays, never the library."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, norm="l2", dtype=np.float32)
        both = vectorizer.fit_transform([*documents, *extra]).tocsr()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._idf = vectorizer.idf_.astype(np.float64)
        matrix = both[: len(documents)]
        self.extra = both[len(documents) :]  # the extra texts' rows (classifier training)
        self.matrix = matrix  # phrasings × features
        self.size = matrix.shape[0]
        self._postings = Postings(matrix.T)

    def _found(self, text: str) -> list[int]:
        """The feature numbers of the text's n-grams that are in the vocabulary, with repeats."""
        found = map(self.vocabulary.get, ngrams(text))
        return [feature for feature in found if feature is not None]

    def query(self, text: str) -> Query:
        features, counts = np.unique(np.asarray(self._found(text), np.int64), return_counts=True)
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
        """Each part of a text as its own query, at once: (part, feature, weight) triples."""
        found = [self._found(part) for part in parts]
        features = np.asarray([feature for features in found for feature in features], np.int64)
        part = np.repeat(np.arange(len(parts)), [len(features) for features in found])
        cells, counts = np.unique(part * len(self.vocabulary) + features, return_counts=True)
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
