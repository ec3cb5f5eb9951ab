"""Shape typos are repaired from the characters the phrasings put beside them."""

from __future__ import annotations

import pickle

from bot.knowledge.typos import TypoFixer


def test_unknown_character_is_repaired_from_its_neighbours() -> None:
    fix = TypoFixer(["临时救助", "低保怎么申请"])
    assert fix("临吋救助") == "临时救助"
    assert fix("低褓怎么申请") == "低保怎么申请"
    assert fix("临时救助") == "临时救助"
    assert fix("abc 12349") == "abc 12349"


def test_neighbours_never_cross_from_one_text_to_the_next() -> None:
    fix = TypoFixer(["低保", "户口"])  # 保 ends one text and 户 starts the next: no pair 保户
    assert fix("保吋") == "保吋"
    assert fix("吋口") == "户口"


def test_the_likeliest_character_wins_and_survives_pickling() -> None:
    fix = TypoFixer(["救助", "救助", "救济"], also_known=["吋"])
    assert fix("救肋") == "救助"
    assert fix("救吋") == "救吋"  # a known character is no slip
    assert pickle.loads(pickle.dumps(fix))("救肋") == "救助"
