"""The shared n-gram features and exported linear weights."""

from __future__ import annotations

from bot.linear import SOUND_MARK, text_grams, train
from bot.weights import Weights


def test_features_are_characters_and_sounds_within_clauses() -> None:
    grams = text_grams("着火了，快来")
    assert {"着火", "火了", "快来"} <= grams
    assert "了快" not in grams  # a comma ends a clause
    assert any(g.startswith(SOUND_MARK) for g in grams)


def test_homophones_and_pinyin_share_sound_features() -> None:
    typed = {g for g in text_grams("bu xiang huo le") if g.startswith(SOUND_MARK)}
    written = {g for g in text_grams("不想活了") if g.startswith(SOUND_MARK)}
    assert typed & written
    assert not {g for g in text_grams("bu xiang huo le") if not g.startswith(SOUND_MARK)}


def test_characters_keep_their_grams_beside_typed_pinyin_or_english() -> None:
    assert {"打我", "男朋友"} <= text_grams("男朋友一直在打我 he is still here")
    assert not {g for g in text_grams("he is still here") if not g.startswith(SOUND_MARK)}


def test_exported_weights_score_and_explain() -> None:
    texts = ["房子着火了", "着火了快来", "山上着火了", "火锅好吃", "今天吃火锅", "打火机没气了"]
    weights = train([text_grams(t) for t in texts], [True, True, True, False, False, False], 10.0)["True"]
    assert weights.score(text_grams("屋头着火了")) > weights.score(text_grams("火锅店在哪"))
    strongest = weights.explain(text_grams("屋头着火了"), top=3)
    assert strongest and all(abs(strongest[0][1]) >= abs(w) for _, w in strongest)


def test_scoring_is_bias_plus_weights() -> None:
    assert Weights(0.5, {"a": 1.0, "b": -2.0}).score({"a", "b", "c"}) == -0.5
