"""Ranking: word order, shape typos and the large-index shortcut."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import matcher
from bot.knowledge.lexicon import load_lexicon
from bot.knowledge.loader import load_directory
from bot.knowledge.matcher import Index, _TypoFixer
from bot.knowledge.normalize import Normalizer

FIXTURES = Path(__file__).parent / "fixtures" / "faq"


@pytest.fixture(scope="module")
def index() -> Index:
    entries = load_directory(FIXTURES, frozenset(range(1, 25))).entries
    return Index(entries, Normalizer(load_lexicon()))


def _top(index: Index, question: str) -> str:
    return index.search(index.normalizer.key(question))[0].entry.id


def test_word_order_does_not_matter(index: Index) -> None:
    assert _top(index, "怎么申请低保") == _top(index, "低保怎么申请") == "dibao-apply"


def test_scores_are_bounded_and_sorted(index: Index) -> None:
    ranked = index.search(index.normalizer.key("城市低保标准是多少"), limit=6)
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores) and scores[0] > 90
    assert index.search(index.normalizer.key("")) == []


def test_unknown_character_is_repaired_from_its_neighbours() -> None:
    fix = _TypoFixer(["临时救助", "低保怎么申请"])
    assert fix("临吋救助") == "临时救助"
    assert fix("低褓怎么申请") == "低保怎么申请"
    assert fix("临时救助") == "临时救助"
    assert fix("abc 12349") == "abc 12349"


def test_shape_typo_reaches_the_entry(index: Index) -> None:
    assert _top(index, "临吋救助是什么") == "linshi-what"


def test_small_posting_budget_keeps_exact_scores(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    key = index.normalizer.key("五保户是什么")
    full = {s.entry.id: s.score for s in index.search(key)}
    monkeypatch.setattr(matcher, "POSTINGS_BUDGET", 1)
    limited = index.search(key)
    assert limited[0].entry.id == "tekun-what"
    assert limited[0].score == full["tekun-what"]
