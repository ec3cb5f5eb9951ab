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
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

from bot.knowledge.phonetic import merge, segment_pinyin
from bot.text import fold

_HERE = Path(__file__).parent
_FILES = ("vocabulary.yaml", "relations.yaml", "amounts.yaml", "facts.yaml")
# Single characters for syllables no longer word covers (digits first: "liu shi ba" is 六十八).
_DIGITS = "零一二三四五六七八九十百千万两半幺"
_COMMON = "我你他她和跟个人岁了就是有没在的家里也都还要不一给多少块钱月年天过住带养读病老小大"
_LATIN = re.compile(r"[a-z][a-z0-9 ,']*[a-z0-9]|[a-z]")
_MAX_WORD = 5


def _words(value: object) -> list[str]:
    if isinstance(value, dict):
        return [w for v in value.values() for w in _words(v)] + [
            str(k) for k in value if not str(k).isascii()
        ]
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    return [str(value)] if isinstance(value, str) and not value.isascii() else []


def _plain(syllable: str) -> str:
    return syllable.replace("v", "u")  # nv / nü typed as nu


def _merged(syllable: str) -> str:
    return merge(_plain(syllable))


@cache
def _index() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """Words by their exact sound, and by their Yunnan-merged sound."""
    exact: dict[tuple[str, ...], str] = {}
    merged: dict[tuple[str, ...], str] = {}
    for name in _FILES:
        raw = yaml.safe_load((_HERE / name).read_text(encoding="utf-8"))
        for word in _words(raw):
            word = fold(word)
            if 2 <= len(word) <= _MAX_WORD and re.fullmatch(r"[\u4e00-\u9fff]+", word):
                sounds = lazy_pinyin(word)
                exact.setdefault(tuple(_plain(s) for s in sounds), word)
                merged.setdefault(tuple(_merged(s) for s in sounds), word)
    return exact, merged


@cache
def _single() -> dict[str, str]:
    """Syllable → character, by the exact syllable first and the merged one after."""
    table: dict[str, str] = {}
    for char in _DIGITS + _COMMON:
        table.setdefault(_plain(lazy_pinyin(char)[0]), char)
    for char in _DIGITS + _COMMON:
        table.setdefault(_merged(lazy_pinyin(char)[0]), char)
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
        if exact.get(tuple(_plain(s) for s in run)) or merged.get(tuple(_merged(s) for s in run)):
            after = syllables[i + size] if i + size < len(syllables) else ""
            return not (set(run) | {after}) & _UNITS
    return False


def _convert(syllables: list[str]) -> str:
    (exact, merged), single, digits = _index(), _single(), _digit_sounds()
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
        for size in range(min(_MAX_WORD, len(syllables) - i), 1, -1):
            run = syllables[i : i + size]
            word = exact.get(tuple(_plain(s) for s in run)) or merged.get(tuple(_merged(s) for s in run))
            if word is not None:
                out.append(word)
                i += size
                break
        else:
            sound = syllables[i]
            near_digit = any(0 <= j < len(syllables) and syllables[j] in digits for j in (i - 1, i + 1))
            if sound == "qian" and i and syllables[i - 1] in ("kuai", "yuan"):
                out.append("钱")  # "kuai qian" is 块钱, not 块千
            elif sound in digits and (near_digit or sound not in ("shi", "ba", "er", "yao", "ban")):
                out.append(digits[sound])
            else:
                out.append(single.get(_plain(sound)) or single.get(_merged(sound), sound))
            i += 1
    return "".join(out)


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
    for name in _FILES:
        words.update(fold(w) for w in _words(yaml.safe_load((_HERE / name).read_text(encoding="utf-8"))))
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
def _mend_index() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """The words whose misspellings by sound are mended: people, what became of them, health,
    hardships and the questionnaire's subjects (never numbers or everyday words)."""
    exact: dict[tuple[str, ...], str] = {}
    merged: dict[tuple[str, ...], str] = {}
    for name, sections in _MEND_SECTIONS.items():
        raw = yaml.safe_load((_HERE / name).read_text(encoding="utf-8"))
        for word in _words([raw[section] for section in sections]):
            word = fold(word)
            if 2 <= len(word) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", word) and not set(word) & _NUMERALS:
                sounds = lazy_pinyin(word)
                exact.setdefault(tuple(_plain(s) for s in sounds), word)
                merged.setdefault(tuple(_merged(s) for s in sounds), word)
    return exact, merged


def _ends_word(pair: str, around: str) -> bool:
    return pair in _known() or any(longer in around for longer in _longer().get(pair, ()))


def mend_words(text: str) -> str:
    """Answer words written by sound ("儿息" → 儿媳, "惨疾" → 残疾, "着伙" → 着火): a two- or
    three-character run that sounds like a known word, shares its first or last character, is no
    word itself and differs only in characters that are not everyday ones."""
    exact, merged = _mend_index()
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
            word = exact.get(tuple(_plain(s) for s in sounds))
            if (
                word is None
                and (found := merged.get(tuple(_merged(s) for s in sounds)))
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
        return match.group() if syllables is None else _convert(syllables)

    return _LATIN.sub(replace, folded)
