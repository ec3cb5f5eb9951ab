"""The one normaliser: width, case, script, control characters and spacing."""

from bot.text import compact, fold


def test_fold_brings_traditional_full_width_and_control_characters_to_one_form() -> None:
    assert fold("  低保\x1d怎麼申請？ ＡＢＣ\ud800 ") == "低保怎么申请? abc"


def test_fold_keeps_single_spaces_between_words() -> None:
    assert fold("di  bao\tzen me\nshen qing") == "di bao zen me shen qing"


def test_compact_drops_spaces_punctuation_and_symbols() -> None:
    assert compact("删除 我的信息！！～") == "删除我的信息"
    assert compact("１２３") == "123"
