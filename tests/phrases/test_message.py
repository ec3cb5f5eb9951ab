"""How typed pinyin reaches the matchers: every way of separating syllables reads the same."""

from __future__ import annotations

import pytest

from bot.phrases import prepare


@pytest.mark.parametrize("typed", [
    "wobuxianghuole",  # run together
    "wo3 bu4 xiang3 huo2 le5",  # tone numbers
    "wo3 bu4 xiang3 huo2 le0",  # the light tone as 0
    "wo,bu,xiang,huo,le",  # a comma between syllables
    "wo，bu，xiang，huo，le",  # a full-width one
    "wo.bu.xiang.huo.le",
    "wo3,bu4,xiang3,huo2,le",
    "WO BU XIANG HUO LE",
])
def test_separated_syllables_read_as_spaced_pinyin(typed: str) -> None:
    spaced = prepare("wo bu xiang huo le")
    read = prepare(typed)
    assert read.pinyin and read.sounds == spaced.sounds


def test_punctuation_between_longer_pinyin_clauses_still_ends_a_clause() -> None:
    read = prepare("wo jia xian zai hen nan, xue fei jiao bu qi")
    assert read.pinyin and read.sounds.count("\n") == 3  # two clauses, framed


def test_a_lone_syllable_is_not_joined_to_characters() -> None:
    assert prepare("好,wo zhi dao le").text == "\n好\nwozhidaole\n"
