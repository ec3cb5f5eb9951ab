"""The message side of phrase matching: a resident's text in the two forms patterns are matched on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from bot.knowledge.phonetic import SYLLABLES, code, segment_pinyin
from bot.text import fold

PINYIN_MIN = 2  # syllables of typed pinyin that make a message "pinyin input"
_CLAUSE = re.compile(r"\s*[,.!?;:，。！？；：、…~～\n]+\s*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"(?:[a-zv]+[0-5]?)+")
_TONE = re.compile(r"(?<=[a-zv])[0-5]")  # tone numbers; some input methods write the light tone 0
# Voice input repeats words (那个 那个, 都 都); inside pinyin a letter is no word (kun nan), and a
# typed syllable said twice is a word, not a stutter (di di wei 敌敌畏, nai nai 奶奶): voice input
# writes characters.
_STUTTER = re.compile(r"(?<![a-z0-9])(\S{1,4})(?:\s+\1)+(?![a-z0-9])")
_HESITATION = re.compile("[嗯呃]+")
_OTHER = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffa-z0-9\n ]+")  # punctuation, symbols, emoji: dropped
_ACCENTED = re.compile(r"[\u00c0-\u024f\u0300-\u036f]")  # pinyin with tone marks (bù xiǎng)


class _HanCodes(dict[int, str]):
    """str.translate table: a Han character → the code of its (toneless, merged) syllable."""

    def __missing__(self, point: int) -> str:
        char = chr(point)
        value = char
        if _HAN.match(char):
            syllables = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
            if syllables and syllables[0] in SYLLABLES:
                value = code(syllables[0])
        self[point] = value
        return value


_CODES = _HanCodes()


def han_sounds(text: str) -> str:
    """Sound key of character text, one code per Han character (positions stay aligned)."""
    return text.translate(_CODES)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A message in the two forms patterns are matched against.

    `text`: folded, no spaces or punctuation, clauses separated by `\\n` (and framed by it).
    `sounds`: the same with every Han character and typed pinyin syllable as a sound code; it is
    aligned character for character with `text` unless `pinyin` is set. `chars` and
    `sound_chars`: the characters of each, which every phrase set checks its patterns against.
    """

    text: str
    sounds: str
    pinyin: bool
    chars: frozenset[str]
    sound_chars: frozenset[str]


def _plain_latin(piece: str) -> str:
    """Pinyin typed with tone marks (bù xiǎng) or ü, without them."""
    decomposed = unicodedata.normalize("NFD", piece.replace("ü", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _one_syllable(words: list[str]) -> bool:
    return len(words) == 1 and _TONE.sub("", words[0]) in SYLLABLES


def _rejoin(clauses: list[list[str]]) -> list[list[str]]:
    """Clauses with punctuation between pinyin syllables (wo,bu,xiang,huo,le) joined again: a
    clause of one typed syllable is a syllable its writer separated, not a clause of its own."""
    joined: list[list[str]] = []
    for words in clauses:
        if joined and joined[-1][-1].isascii() and words[0].isascii() and (
                _one_syllable(words) or _one_syllable(joined[-1])):
            joined[-1] = joined[-1] + words
        else:
            joined.append(words)
    return joined


def _latin_sounds(word: str) -> str | None:
    letters = _TONE.sub("", word)
    syllables = segment_pinyin(letters)
    return "".join(code(s) for s in syllables) if syllables else None


def _may_stutter(folded: str) -> bool:
    """Whether a word starts with one of the four characters before its space, as a repeat must
    (`fold` leaves single spaces): most messages with spaces have none, and need no `_STUTTER`."""
    at = folded.find(" ")
    while at > 0:
        if folded[at + 1:at + 2] in folded[max(0, at - 4):at]:
            return True
        at = folded.find(" ", at + 1)
    return False


def _unstutter(repeat: re.Match[str]) -> str:
    word = repeat.group(1)
    return repeat.group(0) if word.isascii() else word


@lru_cache(maxsize=2048)
def prepare(raw: str) -> Prepared:
    # 著 stays 著 after OpenCC where it can be 著名; patterns mean 着 (躺著不動).
    folded = fold(raw).replace("著", "着")
    if _may_stutter(folded):
        folded = _STUTTER.sub(_unstutter, folded)
    if not folded.isascii():
        folded = _plain_latin(folded) if _ACCENTED.search(folded) else folded
    plain = _OTHER.sub("", _CLAUSE.sub("\n", _HESITATION.sub(" ", folded)))
    clauses = [c.split() for c in plain.split("\n")]
    clauses = _rejoin([words for words in clauses if words])
    text = "\n" + "\n".join("".join(words) for words in clauses) + "\n"
    latin = {word: _latin_sounds(word) for words in clauses for word in words
             if word.isascii() and _LATIN_WORD.fullmatch(word)}
    if sum(len(s) for s in latin.values() if s) < PINYIN_MIN:  # keep both forms aligned
        sounds = han_sounds(text)
        return Prepared(text, sounds, False, frozenset(text), frozenset(sounds))
    sounds = "\n".join("".join(latin.get(w) or han_sounds(w) for w in words) for words in clauses)
    sounds = "\n" + sounds + "\n"
    return Prepared(text, sounds, True, frozenset(text), frozenset(sounds))
