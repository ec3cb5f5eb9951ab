"""Character n-gram TF-IDF spaces (scikit-learn) and their similarities as sparse products.

A space is fitted once per knowledge snapshot on every phrasing: its n-grams are counted with
numpy (`Grams`), scikit-learn's TfidfTransformer learns the IDF weights and weighs the phrasing
matrix, which is kept transposed (features × phrasings, CSR): the product of a query with it walks
only the posting lists of the query's own n-grams, an inverted index with no loop over the entries.

Two similarities come out of it:
- cosine: the usual TF-IDF cosine between the query and each phrasing;
- containment: the share of a phrasing's weight whose n-grams the query contains, which stays
  high when a short phrasing ("房子垮了") sits inside a long story, where the cosine is diluted.

n-grams as numbers: every character the phrasings use gets a number 1…B-1 (spaces and anything
else 0), and an n-gram of up to three characters is the number its characters' numbers make in
base B. A text's n-grams are then three vector expressions and one look-up in the sorted
vocabulary (`np.searchsorted`) instead of a dict look-up per n-gram, so 60 000 phrasings are
counted in a fraction of a second (scikit-learn's CountVectorizer with a Python analyzer took
about 7 s at 10 000 entries) and a 150-character story costs the same few dozen numpy calls as a
short question. The counts, and so the vectors, are those of TfidfVectorizer with the `ngrams`
analyzer (a test checks it).

A query is one row, so the product is done on the CSR arrays directly (csr.py: numpy gathers and
one `bincount`): scipy's sparse objects cost tens of microseconds each to build, more than the
arithmetic itself, and a fitted space keeps no scipy object, so a worker never imports scipy.
`Pair` queries the text space and the sound space, and a long message's clauses, from one pass
over the question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.knowledge.csr import Csr, Postings

if TYPE_CHECKING:
    from scipy import sparse

NGRAMS = (1, 3)


def ngrams(text: str, low: int = NGRAMS[0], high: int = NGRAMS[1]) -> list[str]:
    """Character n-grams of a text (spaces kept out of the grams): what `Grams` numbers."""
    grams: list[str] = []
    for part in text.split():
        for n in range(low, high + 1):
            grams.extend(part[i : i + n] for i in range(len(part) - n + 1))
    return grams


class Grams:
    """The 1–3-grams of texts as integers: digits in base B of the characters' numbers (0: unknown)."""

    def __init__(self, texts: Sequence[str]) -> None:
        found = {ch for ch in set("".join(texts)) if not ch.isspace()}
        self._chars = np.asarray(sorted(map(ord, found)) or [0], np.int64)
        self.base = len(found) + 1
        # code point → number, one look-up per character (the last place: any code point above)
        self._ids = np.zeros(int(self._chars[-1]) + 2 if found else 1, np.int64)
        self._ids[self._chars[: len(found)]] = np.arange(1, len(found) + 1)

    def ids(self, text: str) -> np.ndarray:
        """Each character's number, 0 for a space or a character no text had."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), "<u4")
        ids: np.ndarray = self._ids[np.minimum(points, len(self._ids) - 1)]
        return ids

    def coded(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The codes of the n-grams made of known characters, their start positions and lengths."""
        one = ids > 0
        pair = ids[:-1] * self.base + ids[1:]
        two = one[:-1] & one[1:]
        triple = pair[:-1] * self.base + ids[2:]
        three = two[:-1] & one[2:]
        starts = [np.flatnonzero(one), np.flatnonzero(two), np.flatnonzero(three)]
        codes = np.concatenate([ids[one], pair[two], triple[three]])
        lengths = np.repeat(np.arange(1, 4), [len(x) for x in starts])
        return codes, np.concatenate(starts), lengths

    def name(self, code: int) -> str:
        """The n-gram a code stands for (for explanations and tests)."""
        chars = []
        while code:
            code, digit = divmod(int(code), self.base)
            chars.append(chr(int(self._chars[digit - 1])))
        return "".join(reversed(chars))


@dataclass(frozen=True, slots=True)
class Query:
    """One text in a space: its n-gram feature numbers and L2-normalised TF-IDF weights."""

    features: np.ndarray
    weights: np.ndarray


@dataclass(frozen=True, slots=True)
class Cells:
    """Several queries at once: query `owner[i]` has `features[i]` at `weights[i]`."""

    owner: np.ndarray
    features: np.ndarray
    weights: np.ndarray
    count: int


class Space:
    """One TF-IDF space over the phrasings' texts (characters or sound keys)."""

    def __init__(
        self, documents: Sequence[str], extra: Sequence[str] = (), grams: Grams | None = None
    ) -> None:
        """`extra` (the training corpus) widens the vocabulary and IDF but is not searched.

        `grams` numbers the characters; spaces queried together (`Pair`) share one. scikit-learn is
        and scipy are imported here, not at the top: a server builds its index in a child process
        (`KnowledgeBase(isolated=True)`) and receives the fitted arrays (csr.py), never the libraries.
        """
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfTransformer

        texts = [*documents, *extra]
        self.grams = grams or Grams(texts)
        codes, starts, _ = self.grams.coded(self.grams.ids(" ".join(texts)))
        owner = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in texts])[starts]
        # the vocabulary: a feature's number is its code's position in this sorted array
        self.codes, features = np.unique(codes, return_inverse=True)
        self.width = len(self.codes)
        counts = sparse.csr_matrix(
            (np.ones(len(codes), np.float32), (owner, features)),
            shape=(len(texts), self.width),
        )
        tfidf = TfidfTransformer(sublinear_tf=True, norm="l2").fit(counts)
        both = tfidf.transform(counts).astype(np.float32).tocsr()
        self.idf = tfidf.idf_.astype(np.float64)
        matrix = both[: len(documents)]
        self.extra = Csr.of(both[len(documents) :])  # the extra texts' rows (classifier training)
        self.matrix = Csr.of(matrix)  # phrasings × features
        self.size = matrix.shape[0]
        self._postings = Postings(Csr.of(matrix.T))

    def names(self) -> list[str]:
        """The n-gram of each feature number."""
        return [self.grams.name(code) for code in self.codes]

    def features(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The feature numbers of the codes in the vocabulary, and which codes are."""
        if not self.width:
            return np.zeros(0, np.int64), np.zeros(len(codes), bool)
        where = np.minimum(np.searchsorted(self.codes, codes), self.width - 1)
        found = self.codes[where] == codes
        return where[found], found

    def query(self, text: str) -> Query:
        features, counts = np.unique(
            self.features(self.grams.coded(self.grams.ids(text))[0])[0], return_counts=True
        )
        return Query(features, _weigh(features, counts, np.zeros(len(features), np.int64), 1, self.idf))

    def parts(self, parts: Sequence[str]) -> Cells:
        """Each part of a text as its own query, at once."""
        codes, starts, _ = self.grams.coded(self.grams.ids(" ".join(parts)))
        part = np.repeat(np.arange(len(parts)), [len(p) + 1 for p in parts])[starts]
        features, found = self.features(codes)
        cells, counts = np.unique(part[found] * self.width + features, return_counts=True)
        owner, feature = np.divmod(cells, max(self.width, 1))
        return Cells(owner, feature, _weigh(feature, counts, owner, len(parts), self.idf), len(parts))

    def row(self, query: Query) -> sparse.csr_matrix:
        """The query as a 1 × features scipy row (for scikit-learn models)."""
        from scipy import sparse

        return sparse.csr_matrix(
            (query.weights, query.features, [0, len(query.features)]), shape=(1, self.width)
        )

    def cosine(self, query: Query) -> np.ndarray:
        """One value per phrasing."""
        return self._postings.dot(query.features, query.weights)

    def cosines(self, parts: Sequence[str] | Cells) -> np.ndarray:
        """Parts × phrasings: each part's cosine with every phrasing (the clauses of a long message)."""
        cells = parts if isinstance(parts, Cells) else self.parts(parts)
        return self._postings.dots(cells.owner, cells.features, cells.weights, cells.count)

    def centroids(self, owners: np.ndarray, count: int) -> Postings:
        """Each target's phrasings summed and L2-normalised: a nearest-centroid (Rocchio) model."""
        from scipy import sparse

        assign = sparse.csr_matrix(
            (np.ones(len(owners), np.float32), (owners, np.arange(len(owners)))), shape=(count, self.size)
        )
        summed = (assign @ self.matrix.scipy()).tocsr()
        norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return Postings(Csr.of((sparse.diags(1.0 / norms).astype(np.float32) @ summed).T))


def _weigh(
    features: np.ndarray, counts: np.ndarray, owner: np.ndarray, owners: int, idf: np.ndarray
) -> np.ndarray:
    """Sublinear TF × IDF, L2-normalised per owner (scikit-learn's weighting)."""
    weights = (1.0 + np.log(counts)) * idf[features]
    norms = np.sqrt(np.bincount(owner, weights * weights, owners))
    norms[norms == 0] = 1.0
    weighed: np.ndarray = (weights / norms[owner]).astype(np.float32)
    return weighed


class Pair:
    """A text space and a sound space of the same phrasings, queried together in one pass.

    Joint feature numbers are the text space's, then the sound space's after them (the layout of
    the matcher's joint matrix and of the need classifier).
    """

    def __init__(self, text: Space, sounds: Space) -> None:
        if text.grams is not sounds.grams:
            raise ValueError("the spaces of a pair must share their Grams")
        self.text, self.sounds, self.grams = text, sounds, text.grams
        self._shift = self.grams.base**3  # above every code: a sound n-gram's code is shifted by it
        self._codes = np.concatenate([text.codes, sounds.codes + self._shift])
        self._idf = np.concatenate([text.idf, sounds.idf])
        self.width = len(self._codes)

    def query(self, text: str, sounds: str, clauses: Sequence[str] = ()) -> tuple[Query, Cells]:
        """The joint query of a text and its sound key, and each clause's sound query (several only)."""
        parts = [text, sounds, *clauses] if len(clauses) > 1 else [text, sounds]
        codes, starts, _ = self.grams.coded(self.grams.ids(" ".join(parts)))
        part = np.repeat(np.arange(len(parts)), [len(p) + 1 for p in parts])[starts]
        # count each (part, code) first, then look the distinct codes up in sorted order: a binary
        # search of sorted needles stays in one region of the vocabulary (a third of the cost of
        # looking up every occurrence in text order); code order is feature order, so the cells
        # come out sorted by part, then feature, as before
        stride = 2 * self._shift  # above every (shifted) code
        cells, counts = np.unique(part * stride + codes + self._shift * (part > 0), return_counts=True)
        owner, codes = np.divmod(cells, stride)
        where = np.minimum(np.searchsorted(self._codes, codes), max(self.width - 1, 0))
        found = self._codes[where] == codes if self.width else np.zeros(len(codes), bool)
        owner, feature, counts = owner[found], where[found], counts[found]
        weights = _weigh(feature, counts, owner, len(parts), self._idf)
        main = owner < 2
        clause = ~main
        return Query(feature[main], weights[main]), Cells(
            owner[clause] - 2, feature[clause] - self.text.width, weights[clause], len(parts) - 2
        )
