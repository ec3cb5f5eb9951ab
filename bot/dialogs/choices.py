"""Understanding a reply to a numbered list: `2`, `２`, `二`, `第二个`, `2号`, `②`, or the words.

Elderly residents answer menus in many ways, often by voice ("第二个", "选二"). Every numbered
question in every flow resolves its answer here, so the same reply means the same thing everywhere.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.text import compact

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_WRAPPER = re.compile(r"^(?:我?(?:选|要|选择|是)?第?)(.+?)(?:个|项|号|条|种)?(?:吧|啊|呀|嘛)?$")


def normalise(text: str) -> str:
    """The reply as compared with menu labels and command words (see `bot.text.compact`)."""
    return compact(text)


def chinese_number(text: str) -> int | None:
    """Small Chinese numerals: 一 … 九十九 (enough for menus and counts)."""
    if not text or any(ch not in CHINESE_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CHINESE_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def ordinal(text: str) -> int | None:
    """The number a menu reply names, or None. `0` is returned as 0."""
    text = normalise(text)
    if text in _CIRCLED:
        return _CIRCLED[text]
    match = _WRAPPER.match(text)
    core = match.group(1) if match else text
    if core.isdigit() and len(core) <= 3:
        return int(core)
    return chinese_number(core)


def pick(text: str, options: list[str], min_score: float = 80.0) -> int | None:
    """Index (0-based) of the option the reply names, by number first, then by its words."""
    number = ordinal(text)
    if number is not None:
        return number - 1 if 1 <= number <= len(options) else None
    said = normalise(text)
    if not said:
        return None
    best, best_score = None, 0.0
    for index, option in enumerate(options):
        label = normalise(option)
        score = 100.0 if said == label else fuzz.partial_ratio(said, label) if len(said) >= 2 else 0.0
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= min_score else None
