"""The pattern language staff write cues and intents in."""

import pytest

from bot.phrases import Grammar, PatternError, PhraseSet, prepare


def groups(patterns: dict[str, list[str]], text: str, classes: dict | None = None) -> set[str]:
    return {h.group for h in PhraseSet(patterns, Grammar(classes or {})).hits(prepare(text))}


def test_classes_options_gaps_and_clause_edges() -> None:
    classes = {"kin": ["老伴儿?", "(儿|孙)子"]}
    assert groups({"a": ["{kin}…摔倒"]}, "我家老伴儿今天摔倒了", classes) == {"a"}
    assert groups({"a": ["{kin}…摔倒"]}, "孙子来了，我摔倒了", classes) == set()  # not across a clause
    assert groups({"a": ["^不测了$"]}, "算了，不测了", classes) == {"a"}
    assert groups({"a": ["#天没吃"]}, "3天没吃饭", classes) == {"a"}


def test_sounds_hear_homophones_pinyin_and_traditional_but_not_short_chance_homophones() -> None:
    assert groups({"a": ["不想活了?"]}, "我不想火了") == {"a"}
    assert groups({"a": ["不想活了?"]}, "bù xiǎng huó le") == {"a"}
    assert groups({"a": ["不想活了?"]}, "我不想活了") == {"a"}
    assert groups({"a": ["跳河"]}, "调和一下") == set()
    assert groups({"a": ["着火"]}, "家裡著火了") == {"a"}


@pytest.mark.parametrize("bad", ["{nope}", "(a|", "a|", "?a", "a b"])
def test_mistakes_are_reported(bad: str) -> None:
    with pytest.raises(PatternError):
        PhraseSet({"x": [bad]}, Grammar({}))
