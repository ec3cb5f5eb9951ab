"""The TF-IDF spaces: the fast query vectors equal scikit-learn's, and the similarities are right."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.knowledge.vectors import Postings, Space, ngrams

DOCS = ["低保怎么申请", "临时救助是什么", "房子垮了怎么办", "低保标准是多少"]


@pytest.fixture(scope="module")
def space() -> Space:
    return Space(DOCS)


def test_ngrams_of_every_length_without_spaces() -> None:
    assert ngrams("ab c", 1, 2) == ["a", "b", "ab", "c"]


def test_query_vectors_equal_scikit_learns(space: Space) -> None:
    question = "低保申请怎么办 低保"
    ours = space.row(space.query(question))
    fitted = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, norm="l2", dtype=np.float32).fit(DOCS)
    theirs = fitted.transform([question])  # the vectorizer Space fits (and does not keep)
    assert np.allclose(ours.toarray(), theirs.toarray(), atol=1e-6)


def test_cosine_is_one_for_the_same_text(space: Space) -> None:
    query = space.query(DOCS[0])
    cosines = space.cosine(query)
    assert cosines[0] == pytest.approx(1.0, abs=1e-5) and cosines.argmax() == 0
    expected = (space.row(query) @ space.matrix.T).toarray()[0]
    assert np.allclose(cosines, expected, atol=1e-6)
    assert np.allclose(space.cosines([DOCS[0], DOCS[2]])[0], expected, atol=1e-6)


def test_containment_stays_high_inside_a_long_text() -> None:
    space = Space([*DOCS, "老人又生病了", "娃娃还要读书", "家里一分钱都没有了"])
    text = "我家房子垮了怎么办 老人又生病 娃娃还要读书 家里一分钱都没有了"
    query = space.query(text)
    assert Postings(space.matrix.T).dot_and_containment(query.features, query.weights)[1][2] == pytest.approx(
        1.0, abs=1e-5
    )
    assert space.cosine(query)[2] < 0.8


def test_centroids_are_normalised(space: Space) -> None:
    owners = np.asarray([0, 0, 1, 1])
    centroids = space.centroids(owners, 2).matrix  # features × targets
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=0))).ravel()
    assert np.allclose(norms, 1.0, atol=1e-5)
    query = space.query(DOCS[0])
    assert space.centroids(owners, 2).dot(query.features, query.weights).argmax() == 0


def test_each_part_is_its_own_query_without_grams_across_parts(space: Space) -> None:
    parts = ["房子垮", "了怎么办", "低保 标准?"]  # 垮了 spans the first two parts: it counts for neither
    together = space.cosines(parts)
    for number, part in enumerate(parts):
        assert np.allclose(together[number], space.cosine(space.query(part)), atol=1e-6)
