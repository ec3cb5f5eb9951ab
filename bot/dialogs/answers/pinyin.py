"""Replies typed in pinyin ("wo he lao ban liang ge ren", "liu shi ba"), read as the characters
the answer readers know.

Why: some residents type pinyin without tones because they cannot pick characters. Every answer
word the readers use (relations, amounts, yes/no, facts) is indexed by its sound (with the Yunnan
merges of `bot.knowledge.phonetic`), so a run of syllables becomes the word it sounds like, and
digits become digits; syllables that are no known word stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import yaml
from pypinyin import lazy_pinyin

from bot.dialogs.answers.pinyin_mend import (
    ANSWER_FILES,
    HERE,
    mend_index,
    mend_words,
    merged_sound,
    plain_sound,
    words_in,
)
from bot.knowledge.phonetic import segment_pinyin
from bot.text import fold

# Single characters for syllables no longer word covers (digits first: "liu shi ba" is 六十八).
_DIGITS = "零一二三四五六七八九十百千万两半幺"
_COMMON = "我你他她和跟个人岁了就是有没在的家里也都还要不一给多少块钱月年天过住带养读病老小大"
_LATIN = re.compile(r"[a-z][a-z0-9 ,']*[a-z0-9]|[a-z]")
_MAX_WORD = 5


@cache
def _index() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """Words by their exact sound, and by their Yunnan-merged sound."""
    exact: dict[tuple[str, ...], str] = {}
    merged: dict[tuple[str, ...], str] = {}
    for name in ANSWER_FILES:
        raw = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
        for word in words_in(raw):
            word = fold(word)
            if 2 <= len(word) <= _MAX_WORD and re.fullmatch(r"[\u4e00-\u9fff]+", word):
                sounds = lazy_pinyin(word)
                exact.setdefault(tuple(plain_sound(s) for s in sounds), word)
                merged.setdefault(tuple(merged_sound(s) for s in sounds), word)
    return exact, merged


@cache
def _single() -> dict[str, str]:
    """Syllable → character, by the exact syllable first and the merged one after."""
    table: dict[str, str] = {}
    for char in _DIGITS + _COMMON:
        table.setdefault(plain_sound(lazy_pinyin(char)[0]), char)
    for char in _DIGITS + _COMMON:
        table.setdefault(merged_sound(lazy_pinyin(char)[0]), char)
    return table


@cache
def _digit_sounds() -> dict[str, str]:
    return {lazy_pinyin(ch)[0]: ch for ch in _DIGITS}


def _syllables(run: str) -> list[str] | None:
    out: list[str] = []
    # A tone number follows its syllable's letters ("liu4 shi2"); a number on its own is a number.
    for token in re.split(r"[\s,']+", re.sub(r"(?<=[a-z])[1-5](?=\s|$|[a-z,'])", " ", run)):
        if not token:
            continue
        if token.isdigit():
            out.append(token)
            continue
        parts = segment_pinyin(re.sub(r"([nl])v", r"\1u", token))
        if parts is None:
            return None
        out += list(parts)
    return out


_UNITS = frozenset({"shi", "bai", "qian", "wan", "ban", "dian"})
LONG_DIGITS = 4  # this many digit syllables in a row are a number, whatever words they sound like


def _word_not_number(syllables: list[str], i: int) -> bool:
    """"ba ba si le" is 爸爸死了, not 八八四了: a known word starts here, and neither it nor the
    syllable after it is a unit a number needs ("qi shi liu" stays 七十六)."""
    exact, merged, digits = *_index(), _digit_sounds()
    start = end = i
    while start and syllables[start - 1] in digits:
        start -= 1
    while end < len(syllables) and syllables[end] in digits:
        end += 1
    if end - start >= LONG_DIGITS:
        return False  # "yao san ba ba qi qi …": a phone number, every syllable a digit
    for size in range(min(_MAX_WORD, len(syllables) - i), 1, -1):
        run = syllables[i : i + size]
        if exact.get(tuple(plain_sound(s) for s in run)) or merged.get(tuple(merged_sound(s) for s in run)):
            after = syllables[i + size] if i + size < len(syllables) else ""
            return not (set(run) | {after}) & _UNITS
    return False


def _word_at(syllables: list[str], i: int, merged_too: bool = True) -> tuple[str, int] | None:
    """The longest known word starting at syllable i, and its size in syllables (by its exact
    sound, or by its Yunnan-merged sound too)."""
    exact, merged = _index()
    for size in range(min(_MAX_WORD, len(syllables) - i), 1, -1):
        run = syllables[i : i + size]
        word = exact.get(tuple(plain_sound(s) for s in run))
        if word is None and merged_too:
            word = merged.get(tuple(merged_sound(s) for s in run))
        if word is not None:
            return word, size
    return None


@cache
def _content() -> frozenset[str]:
    """The words that say something about a person (relations, what became of them, health …)."""
    exact, merged = mend_index()
    return frozenset((*exact.values(), *merged.values()))


def _overlapped(syllables: list[str], i: int, size: int) -> bool:
    """ "zai zuo lao" is 在坐牢, not 在做老: the word at i shares its last syllables with a word as
    long or longer, heard exactly, that says something about a person where the first does not,
    and is not cut off in turn itself; the syllables before it are everyday characters (在). Then
    the later word is taken, as word segmentation matching from the right would."""
    single = {s: ch for s, ch in _single().items() if ch in _COMMON}
    content = _content()
    first = _word_at(syllables, i)
    if first is None or first[0] in content:
        return False
    for j in range(i + 1, i + size):
        later = _word_at(syllables, j, merged_too=False)
        if (
            later is not None
            and later[0] in content
            and later[1] >= size
            and j + later[1] > i + size
            and all(plain_sound(s) in single for s in syllables[i:j])
            and not _overlapped(syllables, j, later[1])
        ):
            return True
    return False


def _convert(syllables: list[str]) -> str:
    single, digits = _single(), _digit_sounds()
    out, i = [], 0
    while i < len(syllables):
        if syllables[i].isdigit():
            out.append(syllables[i])
            i += 1
            continue
        if syllables[i] in digits and not _word_not_number(syllables, i) and any(
            0 <= j < len(syllables) and syllables[j] in digits for j in (i - 1, i + 1)
        ):
            out.append(digits[syllables[i]])  # "qi shi liu" is 七十六, not 其实六
            i += 1
            continue
        found = _word_at(syllables, i)
        if found is not None and not _overlapped(syllables, i, found[1]):
            out.append(found[0])
            i += found[1]
        else:
            sound = syllables[i]
            near_digit = any(0 <= j < len(syllables) and syllables[j] in digits for j in (i - 1, i + 1))
            if sound == "qian" and i and syllables[i - 1] in ("kuai", "yuan"):
                out.append("钱")  # "kuai qian" is 块钱, not 块千
            elif sound in digits and (near_digit or sound not in ("shi", "ba", "er", "yao", "ban")):
                out.append(digits[sound])
            else:
                out.append(single.get(plain_sound(sound)) or single.get(merged_sound(sound), sound))
            i += 1
    return "".join(out)


def _toneless(text: str) -> str:
    """Pinyin typed with tone marks ("sān sì bǎi") as plain letters; characters stay as they are."""
    if text.isascii():
        return text
    latin = ("\u00c0", "\u024f"), ("\u1e00", "\u1eff")  # accented Latin letters
    return "".join(
        unicodedata.normalize("NFD", ch)[0] if any(a <= ch <= b for a, b in latin) else ch for ch in text
    )


@lru_cache(maxsize=4096)  # bounded: every resident text passes here
def heard(text: str) -> str:
    """`bot.text.fold`, answer words mistyped by sound mended, and any run of pinyin syllables
    (tone marks or numbers or none) read as the characters it sounds like."""
    folded = mend_words(_toneless(fold(text)))
    letters = sum(ch.isascii() and ch.isalpha() for ch in folded)
    if letters < 4 or letters < 0.5 * len(folded.replace(" ", "")):
        return folded

    def replace(match: re.Match[str]) -> str:
        syllables = _syllables(match.group())
        if syllables is None:
            return match.group()
        parts = [_syllables(p) for p in match.group().split(",")]  # a comma still ends a clause
        if len(parts) > 1 and all(parts):
            return ",".join(_convert(p) for p in parts if p)
        return _convert(syllables)

    return _LATIN.sub(replace, folded)
