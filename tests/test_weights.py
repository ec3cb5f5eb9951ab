"""Weights in memory: n-grams found by hash without a string each, the same scores as a dict."""

from __future__ import annotations

import numpy as np

from bot.weights import Classes, Column, Rows, Weights


def test_rows_find_their_ngrams_and_nothing_else() -> None:
    rows = Rows.of(["火", "着火", "~ab", "想不开"])
    assert list(rows) == ["火", "着火", "~ab", "想不开"]
    positions, found = rows.locate(["水", "想不开", "火", "着火了"])
    assert positions.tolist() == [1, 2] and found.tolist() == [3, 0]
    assert rows.locate([])[0].tolist() == []


def test_a_string_stored_in_the_same_bytes_is_not_the_same_ngram() -> None:
    """CPython hashes a string's stored bytes: `ir` (one byte a character) and 物 (U+7269, two
    bytes, 0x69 0x72) hash alike; an English or pinyin n-gram must not take a character's weight."""
    assert hash("ir") == hash("\u7269")
    weights = Weights(0.0, {"\u7269": 5.0})
    assert weights.score({"ir"}) == 0.0 and weights.score({"\u7269"}) == 5.0
    assert "ir" not in weights.table


def test_scores_are_those_of_a_dict_of_the_same_weights() -> None:
    table = {"着火": 1.5, "火了": 0.25, "火锅": -2.0, "~zh": 0.125}
    weights = Weights(-0.5, table)
    message = {"着火", "火了", "快来", "~zh"}
    assert weights.score(message) == -0.5 + sum(table.get(g, 0.0) for g in message)
    assert weights.score_and_strongest(message)[1] == 1.5
    assert weights.score_and_strongest({"火锅"})[1] == -2.0  # every n-gram weighs: the strongest is negative
    assert weights.score_and_strongest({"火锅", "快来"})[1] == 0.0  # one weighs nothing
    assert weights.explain(message, top=2) == [("着火", 1.5), ("火了", 0.25)]


def test_float32_weights_are_summed_in_float64() -> None:
    values = np.array([0.1, 0.2, 0.3], np.float32)
    narrow = Column(Rows.of(["a", "b", "c"]), values.reshape(-1, 1), 0)
    wide = Column(Rows.of(["a", "b", "c"]), values.astype(np.float64).reshape(-1, 1), 0)
    assert Weights(0.0, narrow).score({"a", "b", "c"}) == Weights(0.0, wide).score({"a", "b", "c"})


def test_classes_share_one_matrix_or_build_one() -> None:
    separate = Classes({"fire": Weights(0.5, {"着火": 2.0}),
                        "food": Weights(0.0, {"火锅": 3.0, "着火": -1.0})})
    assert separate.scores({"着火"}).tolist() == [2.5, -1.0]
    rows = Rows.of(["着火", "火锅"])
    matrix = np.array([[2.0, -1.0], [0.0, 3.0]])
    shared = Classes({"fire": Weights(0.5, Column(rows, matrix, 0)),
                      "food": Weights(0.0, Column(rows, matrix, 1))})
    assert shared.scores({"着火", "火锅"}).tolist() == [2.5, 2.0]
    assert dict(shared.weights["fire"].table) == {"着火": 2.0}  # a zero is no weight
