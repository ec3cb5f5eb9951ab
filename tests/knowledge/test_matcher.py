"""Ranking: word order, typos, long messages, referral targets, and explainable features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.knowledge import KnowledgeBase, retrieval
from bot.knowledge.calibration import FEATURES, load_model
from bot.knowledge.classifier import NeedClassifier
from bot.knowledge.lexicon import load_lexicon
from bot.knowledge.loader import load_directory
from bot.knowledge.matcher import Index
from bot.knowledge.normalize import Normalizer

FIXTURES = Path(__file__).parent / "fixtures" / "faq"


@pytest.fixture(scope="module")
def index() -> Index:
    entries = load_directory(FIXTURES, frozenset(range(1, 25))).entries
    return Index(entries, Normalizer(load_lexicon()), load_model())


def _top(index: Index, question: str) -> str:
    return index.search(index.normalizer.key(question))[0].entry.id


def test_word_order_does_not_matter(index: Index) -> None:
    assert _top(index, "怎么申请低保") == _top(index, "低保怎么申请") == "dibao-apply"


def test_scores_are_bounded_sorted_and_explained(index: Index) -> None:
    ranked = index.search(index.normalizer.key("城市低保标准是多少"), limit=6)
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores) and ranked[0].entry.id == "dibao-standard"
    assert set(ranked[0].features) == set(FEATURES)
    assert ranked[0].features["sound_cosine"] > ranked[1].features["sound_cosine"]
    assert index.search(index.normalizer.key("")) == []


def test_shape_typo_reaches_the_entry(index: Index) -> None:
    assert _top(index, "临吋救助是什么") == "linshi-what"


def test_a_short_phrasing_inside_a_long_message_is_contained(index: Index) -> None:
    story = "我家情况是这样的，家里老人身体不好，娃娃也在读书，今年收成又差，想问一下低保怎么申请"
    key = index.normalizer.key(story)
    assert len(key.clauses) > 1
    best = index.search(key)[0]
    assert best.entry.id == "dibao-apply"
    assert best.features["sound_contained"] > best.features["sound_cosine"]
    assert best.features["last"] >= best.features["sound_cosine"]


def test_referral_categories_compete_with_entries(index: Index) -> None:
    ranking = index.rank(index.normalizer.key("养老金资格认证怎么弄"))
    assert ranking.referral == "pension"
    assert ranking.outside > 0.5
    assert all(0 <= p <= 1 for _, p in ranking.needs)


def test_a_pooled_question_gets_the_exact_shortlist_and_features(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase.from_directory()
    key = kb.key("我家老人今年八十多了 一个人住在山上 儿子在外面打工 房子也漏雨 有什么救助可以申请吗")
    exact = kb.snapshot.index._features(key)
    monkeypatch.setattr(retrieval, "LIMIT", 0)  # every question over the limit: pooled
    monkeypatch.setattr(retrieval, "BUDGET", 2_000)
    for pool in (10**6, 40):  # all targets, then a pool the rough ranking picks
        monkeypatch.setattr(retrieval, "POOL", pool)
        pooled = kb.snapshot.index._features(key)
        assert list(pooled[0]) == list(exact[0])
        assert np.allclose(pooled[1], exact[1], atol=1e-5)


def test_the_shared_product_and_table_maxima_change_no_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast paths give bit for bit the features of the plain ones, so no decision can move.

    Plain: each target's best phrasing by numpy's reduceat, and the need classifier's scores from
    its own product instead of the retrieval's joint one.
    """
    kb = KnowledgeBase.from_directory()
    index = kb.snapshot.index
    entries = list(kb.snapshot.entries.values())
    questions = [e.phrasings[-1] for e in entries[::3]] + [
        "，".join(e.question for e in entries[i : i + 6]) for i in range(0, len(entries), 25)
    ]  # short questions, and long stories read clause by clause
    fast = [index._features(kb.key(q)) for q in questions]
    classifier_product = NeedClassifier.probabilities
    monkeypatch.setattr(Index, "_per_target", lambda self, values: np.maximum.reduceat(values, self._starts))
    monkeypatch.setattr(
        NeedClassifier, "probabilities", lambda self, f, w, gains=None: classifier_product(self, f, w)
    )
    for question, (targets, rows, needs) in zip(questions, fast, strict=True):
        plain = index._features(kb.key(question))
        assert np.array_equal(targets, plain[0]) and np.array_equal(needs, plain[2]), question
        assert np.array_equal(rows, plain[1]), question


def test_the_need_read_brings_its_entries_in_whatever_the_wording() -> None:
    # worded like the application entries, but surely about a death: the bereavement entries are
    # scored too, not only the twelve closest in wording
    kb = KnowledgeBase.from_directory()
    ranking = kb.rank("丈夫过世 收入大幅下降 可以再申请一次吗", 20)
    assert ranking.needs[0][0] == "bereavement"
    tagged = [e for e in kb.snapshot.entries.values() if "bereavement" in e.needs]
    scored = [s for s in ranking.entries if "bereavement" in s.entry.needs]
    assert len(scored) >= min(3, len(tagged)) >= 2
