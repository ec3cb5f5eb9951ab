"""Character n-gram TF-IDF spaces (scikit-learn) and their similarities as sparse matrix products.

A space is fitted once per knowledge snapshot on every phrasing: scikit-learn's TfidfVectorizer
learns the vocabulary and IDF weights, and the phrasing matrix is kept transposed (features ×
phrasings, CSR) so that a query's product with it walks only the posting lists of the query's own
n-grams: an inverted index in compiled code, with no Python loop over the entries.

Two similarities come out of one product each:
- cosine: the usual TF-IDF cosine between the query and each phrasing;
- containment: the share of a phrasing's weight whose n-grams the query contains, which stays
  high when a short phrasing ("房子垮了") sits inside a long story, where the cosine is diluted.

The query side is vectorised here from the fitted vocabulary (TfidfVectorizer.transform costs
about 0.7 ms per call; this costs a few microseconds) with exactly the same weighting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

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


class Space:
    """One TF-IDF space over the phrasings' texts (characters or sound keys)."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._vectorizer = TfidfVectorizer(
            analyzer=ngrams, sublinear_tf=True, norm="l2", dtype=np.float32, min_df=1
        )
        matrix = self._vectorizer.fit_transform(documents).tocsr()
        self.vocabulary: dict[str, int] = self._vectorizer.vocabulary_
        self._idf = self._vectorizer.idf_.astype(np.float32)
        self.matrix = matrix  # phrasings × features
        self._postings = matrix.T.tocsr()  # features × phrasings
        self._squared = matrix.multiply(matrix).T.tocsr()  # for containment
        self.size = matrix.shape[0]

    def vectors(self, texts: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """TF-IDF rows (L2-normalised) and presence rows of the texts, over the fitted vocabulary."""
        indptr, indices, weights = [0], [], []
        for text in texts:
            counts = Counter(g for g in ngrams(text) if g in self.vocabulary)
            row = {self.vocabulary[g]: (1.0 + np.log(c)) * self._idf[self.vocabulary[g]] for g, c in counts.items()}
            norm = float(np.sqrt(sum(w * w for w in row.values()))) or 1.0
            indices.extend(row)
            weights.extend(w / norm for w in row.values())
            indptr.append(len(indices))
        shape = (len(texts), len(self.vocabulary))
        tfidf = sparse.csr_matrix((np.asarray(weights, np.float32), indices, indptr), shape=shape)
        presence = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=shape)
        return tfidf, presence

    def cosine(self, tfidf: sparse.csr_matrix) -> np.ndarray:
        """Rows: queries; columns: phrasings."""
        return np.asarray((tfidf @ self._postings).todense(), dtype=np.float32)

    def containment(self, presence: sparse.csr_matrix) -> np.ndarray:
        return np.asarray((presence @ self._squared).todense(), dtype=np.float32)

    def centroids(self, owners: np.ndarray, count: int) -> sparse.csr_matrix:
        """Each target's phrasings summed and L2-normalised: a nearest-centroid (Rocchio) model."""
        assign = sparse.csr_matrix(
            (np.ones(len(owners), np.float32), (owners, np.arange(len(owners)))), shape=(count, self.size)
        )
        summed = (assign @ self.matrix).tocsr()
        norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return (sparse.diags(1.0 / norms).astype(np.float32) @ summed).T.tocsr()
