"""The need classifier learns needs from phrasings and reads them in new wording."""

from __future__ import annotations

import numpy as np

from bot.knowledge.classifier import NeedClassifier
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
    classifier = NeedClassifier(space.matrix, [labels for _, labels in PHRASINGS])
    query = space.query("我家房子遭大风吹烂了")
    probabilities = classifier.probabilities(query.features, query.weights)
    assert np.isclose(probabilities.sum(), 1.0)
    assert classifier.top(probabilities, 1)[0][0] == "disaster"
    assert classifier.outside(probabilities) < 0.5


def test_reads_a_question_for_another_office() -> None:
    space = Space([p for p, _ in PHRASINGS])
    classifier = NeedClassifier(space.matrix, [labels for _, labels in PHRASINGS])
    query = space.query("我妈的养老金好久发")
    assert classifier.outside(classifier.probabilities(query.features, query.weights)) > 0.5
