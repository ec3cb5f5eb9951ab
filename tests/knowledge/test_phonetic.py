"""Sound keys make homophones, Yunnan merges and typed pinyin equal."""

from __future__ import annotations

from bot.knowledge.phonetic import merge, segment_pinyin, sounds


def test_homophone_typos_share_a_key() -> None:
    assert sounds("林时就助") == sounds("临时救助")
    assert sounds("低包") == sounds("低保") == sounds("底保")


def test_yunnan_merges() -> None:
    assert merge("zhi") == "zi" and merge("chi") == "ci" and merge("shi") == "si"
    assert merge("nan") == "lan" and merge("ying") == "yin" and merge("feng") == "fen"
    assert sounds("申请") == sounds("森亲")  # sh/s and ing/in
    assert sounds("困难") == sounds("困兰")  # n/l
    assert sounds("低保") != sounds("特困")


def test_pinyin_input_with_and_without_spaces_or_tones() -> None:
    assert segment_pinyin("dibaobiaozhun") == ("di", "bao", "biao", "zhun")
    assert segment_pinyin("xyzq") is None
    key = sounds("低保标准")
    assert sounds("di bao biao zhun") == key
    assert sounds("dibaobiaozhun") == key
    assert sounds("di1 bao3 biao1 zhun3") == key


def test_numbers_and_other_words_pass_through() -> None:
    assert sounds("12349") == "12349"
    assert sounds("app") != sounds("阿婆")  # not pinyin: kept as letters
