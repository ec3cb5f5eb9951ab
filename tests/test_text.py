"""The one normaliser: width, case, script, control characters and spacing."""

import unicodedata

import pytest

from bot import text as text_module
from bot.text import compact, fold


def test_fold_brings_traditional_full_width_and_control_characters_to_one_form() -> None:
    assert fold("  低保\x1d怎麼申請？ ＡＢＣ\ud800 ") == "低保怎么申请? abc"


def test_fold_keeps_single_spaces_between_words() -> None:
    assert fold("di  bao\tzen me\nshen qing") == "di bao zen me shen qing"


def test_compact_drops_spaces_punctuation_and_symbols() -> None:
    assert compact("删除 我的信息！！～") == "删除我的信息"
    assert compact("１２３") == "123"


def _always_converted(text: str) -> str:
    """`fold` as it would be with OpenCC run on every text."""
    kept = text_module._CONTROL.sub("", unicodedata.normalize("NFKC", text).lower())
    return text_module._SPACES.sub(" ", text_module._T2S.convert(kept)).strip()


def test_skipping_opencc_never_changes_the_folded_text() -> None:
    """OpenCC is skipped unless a character or phrase it converts is there; every phrase of its
    table, alone and inside ordinary text, folds as if it had been run."""
    texts = ["怎么办", "我家么麼", "什麼时候", "头发", "後來怎麼辦", "著名的"]
    for ch, phrases in text_module._PHRASES.items():
        texts += [ch, f"我{ch}么", *phrases, *(f"怎么{p}了" for p in phrases)]
    texts += sorted(text_module._CHARACTERS)[:500]
    for text in texts:
        assert fold.__wrapped__(text) == _always_converted(text), text
    assert not text_module._converts("我想问一下低保怎么申请")  # 么 alone: no conversion to pay for


def test_compact_is_computed_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reader of a message compacts it again (menus, commands, slots, intents): cached."""
    folded: list[str] = []
    monkeypatch.setattr(text_module, "fold", lambda text: folded.append(text) or fold(text))
    text = "我选第二个，谢谢！ compact-once"
    assert compact(text) == compact(text) == "我选第二个谢谢compactonce"
    assert folded == [text]
