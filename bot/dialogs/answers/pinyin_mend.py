"""Answer words mistyped by sound ("儿息" → 儿媳, "惨疾" → 残疾), and the answer words by sound
that `pinyin` reads typed syllables as.

Why apart: `pinyin.heard` reads typed pinyin as characters; this mends characters picked by
their sound from the input method's list. Both index the same answer words (the YAML files next
to the readers) by their exact and Yunnan-merged sounds.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

from bot.knowledge.phonetic import merge
from bot.text import fold

HERE = Path(__file__).parent
ANSWER_FILES = ("vocabulary.yaml", "relations.yaml", "amounts.yaml", "facts.yaml")


def words_in(value: object) -> list[str]:
    if isinstance(value, dict):
        return [w for v in value.values() for w in words_in(v)] + [
            str(k) for k in value if not str(k).isascii()
        ]
    if isinstance(value, list):
        return [w for v in value for w in words_in(v)]
    return [str(value)] if isinstance(value, str) and not value.isascii() else []


def plain_sound(syllable: str) -> str:
    return syllable.replace("v", "u")  # nv / nü typed as nu


def merged_sound(syllable: str) -> str:
    return merge(plain_sound(syllable))


# Characters too common to be a mistyped part of an answer word ("三个" is not "三哥").
_COMMON_CHARS = frozenset(
    "个了的是在有我他她们家子孙儿女人一二三四五六七八九十两都也还就不没"
    "嘛呢吧啊呀哦么嘞咯噶哈死走跑来去做说住过得着要给起买卖看开坐用大小多少好新上下"
    "爸妈爹娘哥姐弟妹公婆爷奶伴期意义酒"
)


_MEND_SECTIONS = {
    "relations.yaml": ("relations", "gone"),
    "facts.yaml": ("health", "disability_types", "emergency", "subjects", "car"),
}
_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万亿几半")


@cache
def _known() -> frozenset[str]:
    words: set[str] = set()
    for name in ANSWER_FILES:
        words.update(fold(w) for w in words_in(yaml.safe_load((HERE / name).read_text(encoding="utf-8"))))
    return frozenset(words)


@cache
def _longer() -> dict[str, tuple[str, ...]]:
    """For each two-character run, the known longer words it is part of (精神病 holds 神病)."""
    found: dict[str, list[str]] = {}
    for word in _known():
        for i in range(len(word) - 1):
            if len(word) > 2:
                found.setdefault(word[i : i + 2], []).append(word)
    return {k: tuple(v) for k, v in found.items()}


@cache
def mend_index() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """The words whose misspellings by sound are mended: people, what became of them, health,
    hardships and the questionnaire's subjects (never numbers or everyday words)."""
    exact: dict[tuple[str, ...], str] = {}
    merged: dict[tuple[str, ...], str] = {}
    for name, sections in _MEND_SECTIONS.items():
        raw = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
        for word in words_in([raw[section] for section in sections]):
            word = fold(word)
            if 2 <= len(word) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", word) and not set(word) & _NUMERALS:
                sounds = lazy_pinyin(word)
                exact.setdefault(tuple(plain_sound(s) for s in sounds), word)
                merged.setdefault(tuple(merged_sound(s) for s in sounds), word)
    return exact, merged


def _ends_word(pair: str, around: str) -> bool:
    return pair in _known() or any(longer in around for longer in _longer().get(pair, ()))


def mend_words(text: str) -> str:
    """Answer words written by sound ("儿息" → 儿媳, "惨疾" → 残疾, "着伙" → 着火): a two- or
    three-character run that sounds like a known word, shares its first or last character, is no
    word itself and differs only in characters that are not everyday ones."""
    exact, merged = mend_index()
    known = _known()
    out, i = [], 0
    while i < len(text):
        for size in (3, 2):
            window = text[i : i + size]
            if (
                len(window) != size
                or not re.fullmatch(r"[\u4e00-\u9fff]+", window)
                or window in known
                or set(window) & _NUMERALS
            ):
                continue
            sounds = lazy_pinyin(window)
            word = exact.get(tuple(plain_sound(s) for s in sounds))
            if (
                word is None
                and (found := merged.get(tuple(merged_sound(s) for s in sounds)))
                and found[0] == window[0]
            ):
                word = found  # by the Yunnan merges only when the first character is right (孩纸)
            around = text[max(0, i - 3) : i + size + 3]
            if any(longer in around for longer in _longer().get(window[:2], ())):
                continue  # part of a known longer word: 精神病 is not 精生病
            if i and _ends_word(text[i - 1 : i + 1], around):
                continue  # its first character ends a known word: 肝硬化了 is not 肝硬花了
            if (
                word
                and (word[0] == window[0] or word[-1] == window[-1])
                and not (set(window) - set(word)) & _COMMON_CHARS
            ):
                out.append(word)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


