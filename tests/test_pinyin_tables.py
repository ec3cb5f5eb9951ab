"""`bot.pinyin_tables`: the phrase table holds each reading once and reads exactly as before."""

from __future__ import annotations

import json
from pathlib import Path

import pypinyin
from pypinyin import lazy_pinyin
from pypinyin.phrases_dict import phrases_dict

from bot.pinyin_tables import share_readings


def test_shared_readings_are_the_same_readings_held_once() -> None:
    shipped = json.loads((Path(pypinyin.__file__).parent / "phrases_dict.json").read_text(encoding="utf-8"))
    distinct = share_readings()
    assert phrases_dict == shipped
    held = {id(choices) for word in phrases_dict.values() for choices in word}
    assert len(held) == distinct < len(shipped)
    assert lazy_pinyin("银行长期") == ["yin", "hang", "chang", "qi"]
    first = lazy_pinyin("银行")
    first.append("changed")  # what pypinyin returns is the caller's own
    assert phrases_dict["银行"] == shipped["银行"]
