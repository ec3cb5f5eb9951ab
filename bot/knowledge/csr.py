"""Sparse matrices as plain NumPy arrays, so a worker answering questions never imports scipy.

A server builds its knowledge index in a child process (`KnowledgeBase(isolated=True)`) and reads
the fitted snapshot back from a pickle. Had the snapshot held scipy matrices, unpickling them would
import `scipy.sparse` in every worker: about 23 MB of RSS beyond numpy, for objects the query path
never calls (it gathers from the CSR arrays directly, scipy's objects cost more to build than the
arithmetic). So what the query path keeps is a `Csr`, the three CSR arrays and a shape; fitting
still uses scipy, imported inside the functions that build (`Csr.scipy`), as scikit-learn is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True, slots=True)
class Csr:
    """A CSR matrix's arrays, as scipy has them (row `i` is `indices`/`data[indptr[i]:indptr[i + 1]]`)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, matrix: sparse.spmatrix) -> Csr:
        """The arrays of a scipy sparse matrix in CSR form (converted first if it is not)."""
        matrix = matrix.tocsr()
        rows, columns = matrix.shape
        return cls(matrix.indptr, matrix.indices, matrix.data, (int(rows), int(columns)))

    def scipy(self) -> sparse.csr_matrix:
        """The same matrix as a scipy object, for the steps that fit or build (never a worker's)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


class Postings:
    """A features × items CSR matrix, multiplied by queries with numpy gathers and one `bincount`."""

    def __init__(self, matrix: Csr) -> None:
        self.matrix = matrix
        self.items = matrix.shape[1]
        self._indptr = matrix.indptr.astype(np.int64)
        self._indices = matrix.indices
        self._data = matrix.data.astype(np.float32)

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

    def dot_and_containment(
        self, features: np.ndarray, weights: np.ndarray, skip: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """The dot product, and per item the share of its squared weight on the query's features.

        The share counts the features from number `skip` on (the items that need it have no
        weight on the first ones: one pass over fewer postings).
        """
        positions, lengths = self._positions(features)
        items, data = self._indices[positions], self._data[positions]
        dot = np.bincount(items, data * np.repeat(weights, lengths), self.items)
        start = int(lengths[:skip].sum())
        mass = np.bincount(items[start:], np.square(data[start:]), self.items)  # squared as gathered
        return dot.astype(np.float32), mass.astype(np.float32)

    def dots(self, owner: np.ndarray, features: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
        """`count` queries × items in one pass (query `owner[i]` has `features[i]` at `weights[i]`)."""
        positions, lengths = self._positions(features)
        cells = np.repeat(owner, lengths) * self.items + self._indices[positions]
        summed = np.bincount(cells, self._data[positions] * np.repeat(weights, lengths), count * self.items)
        return summed.reshape(count, self.items).astype(np.float32)
