"""The need classifier learns needs from phrasings and reads them in new wording."""

from __future__ import annotations

import numpy as np
from sklearn.naive_bayes import ComplementNB

from bot.knowledge.classifier import ALPHA, SHARPNESS, NeedClassifier
from bot.knowledge.vectors import Space

PHRASINGS = [
    ("房子被大风吹垮了", ("disaster",)),
    ("洪水把房子冲了", ("disaster",)),
    ("滑坡把屋头埋了", ("disaster",)),
    ("娃娃读书交不起学费", ("education",)),
    ("孩子上学的生活费拿不出来", ("education",)),
    ("考上大学学费凑不齐", ("education",)),
    ("养老金什么时候发", ("referral:pension",)),
    ("养老保险一年交多少", ("referral:pension",)),
]


def test_reads_the_need_of_a_new_question() -> None:
    space = Space([p for p, _ in PHRASINGS])
    classifier = NeedClassifier(space.matrix.scipy(), [labels for _, labels in PHRASINGS])
    query = space.query("我家房子遭大风吹烂了")
    probabilities = classifier.probabilities(query.features, query.weights)
    assert np.isclose(probabilities.sum(), 1.0)
    assert classifier.top(probabilities, 1)[0][0] == "disaster"
    assert classifier.outside(probabilities) < 0.5


def test_reads_a_question_for_another_office() -> None:
    space = Space([p for p, _ in PHRASINGS])
    classifier = NeedClassifier(space.matrix.scipy(), [labels for _, labels in PHRASINGS])
    query = space.query("我妈的养老金好久发")
    assert classifier.outside(classifier.probabilities(query.features, query.weights)) > 0.5


def test_probabilities_are_scikit_learns_complement_naive_bayes() -> None:
    space = Space([p for p, _ in PHRASINGS])
    labels = [labels for _, labels in PHRASINGS]
    weights = [1.0, 2.0, 1.0, 1.0, 0.5, 1.0, 3.0, 1.0]
    classifier = NeedClassifier(space.matrix.scipy(), labels, weights)
    rows = space.matrix.scipy()
    model = ComplementNB(alpha=ALPHA).fit(rows, [names[0] for names in labels], sample_weight=weights)
    for question in ("我家房子遭大风吹烂了", "我妈的养老金好久发", "学费"):
        query = space.query(question)
        scores = SHARPNESS * (query.weights @ model.feature_log_prob_[:, query.features].T)
        expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        assert list(model.classes_) == list(classifier.classes)
        assert np.allclose(classifier.probabilities(query.features, query.weights), expected, atol=1e-6)
