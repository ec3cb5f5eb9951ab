"""The words of `facts.yaml` and the small tests every fact reader shares: said, said first, denied.

Why: "莫得残疾证" and "残疾证么没得" deny the same word; one place decides that for all readers.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.text import fold

FACTS_PATH = Path(__file__).with_name("facts.yaml")


@cache
def fact_words() -> dict[str, Any]:
    def folded(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): folded(v) for k, v in value.items()}
        return tuple(sorted((fold(str(w)) for w in value), key=len, reverse=True))

    return folded(yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8")))


def has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def first(text: str, groups: dict[str, tuple[str, ...]]) -> str | None:
    """The group whose word appears earliest in the text."""
    hits = {
        name: min(text.find(w) for w in words if w in text)
        for name, words in groups.items()
        if has(text, words)
    }
    return min(hits, key=hits.__getitem__) if hits else None


_INDEFINITE = re.compile(
    r"(?:哪样|什么|啥子|啥|么子|哪种|哪门子|那种|太|很|(?:一个)?人(?:有|是|得了?)?|哪个(?:有|是))+$"
)
_RECEIVING = re.compile(r"(?:吃|领|拿|享受|评|批)(?:过|到|上|了)?$")
_NO_BEFORE = ("没有", "没得", "莫得", "没", "无", "不是", "没办")
# 没了 right after a word is "gone, died" (车祸没了), never a denial of it; "残疾证 没有 …" and
# "五保那个我们不是" still deny (not "脑溢血 没救过来").
_NO_AFTER = re.compile(
    r"^(?:证|人证)?(?:的)?(?:那个|这个)?(?:我们|我家|我)?(?:么|嘛|也|都|倒是|是)?(?:莫得|没得|没有|没(?!了)|不是|轮不到|评不上|吃不上|没评上|申请不到|批不下来)"
    r"|^(?:证|人证)?\s(?:莫得|没得|没有)(?:\s|$)"
)
# A rhetorical question denies what it asks about: 我们这种哪里有低保, 哪点吃得上低保.
_RHETORICAL = re.compile(
    r"哪(?:里|儿|点|能)?(?:会)?(?:有|吃得上|吃得到|轮得到|评得上|拿得到)(?:什么|啥子?|哪样)?$"
)


def negated(text: str, word: str) -> bool:
    """ "没有残疾", "大病么莫得", "哪里有低保", "没有人有残疾证" (nobody has it): the word right after
    or right before a no-word, or asked about rhetorically."""
    at = text.find(word)
    if at < 0:
        return False
    before = _INDEFINITE.sub("", text[:at].rstrip())  # "也不是哪样大病", "没得什么残疾": still denied
    before = _RECEIVING.sub("", before)  # "没有吃过低保", "没领过": what was not received
    return (
        any(before.endswith(n) for n in _NO_BEFORE)
        or _RHETORICAL.search(text[:at]) is not None
        or _NO_AFTER.match(text[at + len(word) :]) is not None
    )
