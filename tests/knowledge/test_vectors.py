"""The TF-IDF spaces: the fast query vectors equal scikit-learn's, and the similarities are right."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.knowledge.csr import Csr, Postings
from bot.knowledge.vectors import Grams, Pair, Space, ngrams

DOCS = ["低保怎么申请", "临时救助是什么", "房子垮了怎么办", "低保标准是多少"]


@pytest.fixture(scope="module")
def space() -> Space:
    return Space(DOCS)


def test_ngrams_of_every_length_without_spaces() -> None:
    assert ngrams("ab c", 1, 2) == ["a", "b", "ab", "c"]


def _as_scikit_learn(space: Space, rows: sparse.csr_matrix, vectorizer: TfidfVectorizer) -> np.ndarray:
    """Our rows with their columns in the order of the vectorizer's vocabulary."""
    order = [vectorizer.vocabulary_[name] for name in space.names()]
    out = np.zeros((rows.shape[0], len(vectorizer.vocabulary_)))
    out[:, order] = rows.toarray()
    return out


@pytest.mark.parametrize("extra", [(), ("屋头 房子垮了 dibao",)])
def test_vectors_equal_scikit_learns(extra: tuple[str, ...]) -> None:
    space = Space(DOCS, extra)
    vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True).fit([*DOCS, *extra])
    assert sorted(space.names()) == sorted(vectorizer.vocabulary_)
    expected = vectorizer.transform(DOCS).toarray()
    assert np.allclose(_as_scikit_learn(space, space.matrix.scipy(), vectorizer), expected, atol=1e-6)
    for question in ("低保申请怎么办 低保", "房子 垮了", "全是生字", ""):
        ours = _as_scikit_learn(space, space.row(space.query(question)), vectorizer)
        assert np.allclose(ours, vectorizer.transform([question]).toarray(), atol=1e-6)


def test_a_pair_queries_both_spaces_and_the_clauses_in_one_pass() -> None:
    sounds = ["abcd", "bcx", "xyz", "abz"]
    grams = Grams(DOCS + sounds)
    text, sound = Space(DOCS, grams=grams), Space(sounds, grams=grams)
    query, clauses = Pair(text, sound).query("低保怎么办", "abxyz", ("ab", "xyz"))
    alone = text.query("低保怎么办"), sound.query("abxyz")
    assert np.array_equal(query.features, np.r_[alone[0].features, alone[1].features + text.width])
    assert np.allclose(query.weights, np.r_[alone[0].weights, alone[1].weights])
    assert np.allclose(sound.cosines(clauses), sound.cosines(["ab", "xyz"]))
    assert Pair(text, sound).query("低保", "ab", ("ab",))[1].count == 0  # one clause: none kept


def test_cosine_is_one_for_the_same_text(space: Space) -> None:
    query = space.query(DOCS[0])
    cosines = space.cosine(query)
    assert cosines[0] == pytest.approx(1.0, abs=1e-5) and cosines.argmax() == 0
    expected = (space.row(query) @ space.matrix.scipy().T).toarray()[0]
    assert np.allclose(cosines, expected, atol=1e-6)
    assert np.allclose(space.cosines([DOCS[0], DOCS[2]])[0], expected, atol=1e-6)


def test_containment_stays_high_inside_a_long_text() -> None:
    space = Space([*DOCS, "老人又生病了", "娃娃还要读书", "家里一分钱都没有了"])
    text = "我家房子垮了怎么办 老人又生病 娃娃还要读书 家里一分钱都没有了"
    query = space.query(text)
    postings = Postings(Csr.of(space.matrix.scipy().T))
    assert postings.dot_and_containment(query.features, query.weights)[1][2] == pytest.approx(1.0, abs=1e-5)
    assert space.cosine(query)[2] < 0.8


def test_centroids_are_normalised(space: Space) -> None:
    owners = np.asarray([0, 0, 1, 1])
    centroids = space.centroids(owners, 2).matrix.scipy()  # features × targets
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=0))).ravel()
    assert np.allclose(norms, 1.0, atol=1e-5)
    query = space.query(DOCS[0])
    assert space.centroids(owners, 2).dot(query.features, query.weights).argmax() == 0


def test_each_part_is_its_own_query_without_grams_across_parts(space: Space) -> None:
    parts = ["房子垮", "了怎么办", "低保 标准?"]  # 垮了 spans the first two parts: it counts for neither
    together = space.cosines(parts)
    for number, part in enumerate(parts):
        assert np.allclose(together[number], space.cosine(space.query(part)), atol=1e-6)


def test_a_fitted_space_keeps_plain_arrays_that_give_back_the_same_matrix(space: Space) -> None:
    matrix = space.matrix.scipy()
    assert all(type(a) is np.ndarray for a in (space.matrix.indptr, space.matrix.indices, space.matrix.data))
    again = Csr.of(matrix.T).scipy()  # converted to CSR on the way in
    assert again.shape == (space.width, space.size)
    assert (again != sparse.csr_matrix(matrix.T)).nnz == 0
