"""Sound keys: text rewritten as merged pinyin syllables, one private-use character per syllable.

Residents' typos are mostly homophones (低包, 林时就助) and Yunnan speech merges z/zh, c/ch,
s/sh, n/l and front/back nasals (in/ing, en/eng), so voice input writes the "wrong" characters.
Comparing sound keys instead of characters makes all of these equal, and pinyin typed instead of
characters (`di bao biao zhun`, `dibao`) lands on the same key. Encoding each syllable as a single
character lets rapidfuzz and n-gram statistics work on syllables exactly as they do on characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

_INITIAL_MERGES = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FINAL_MERGES = (("ing", "in"), ("eng", "en"))
_CODE_BASE = 0xE000  # Unicode private use area: never present in real text after normalisation
_MAX_SYLLABLE = 6


def _strip_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.replace("ü", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ü", "v")


@lru_cache(maxsize=2048)
def merge(syllable: str) -> str:
    """The Yunnan-merged form of a toneless syllable (zhi → zi, neng → len, ...)."""
    for full, merged in _INITIAL_MERGES:
        if syllable.startswith(full) and syllable != full:
            syllable = merged + syllable[len(full) :]
            break
    for full, merged in _FINAL_MERGES:
        if syllable.endswith(full):
            return syllable[: -len(full)] + merged
    return syllable


def _all_syllables() -> frozenset[str]:
    found: set[str] = set()
    for readings in pinyin_dict.values():
        found.update(_strip_tone(r) for r in readings.split(","))
    return frozenset(s for s in found if s.isascii() and s.isalpha())


SYLLABLES = _all_syllables()
_CODES = {s: chr(_CODE_BASE + i) for i, s in enumerate(sorted({merge(s) for s in SYLLABLES}))}


def code(syllable: str) -> str:
    """One character standing for a (toneless, unmerged) syllable; unknown syllables pass through."""
    return _CODES.get(merge(syllable), syllable)


@lru_cache(maxsize=4096)
def segment_pinyin(letters: str) -> tuple[str, ...] | None:
    """Split `dibaobiaozhun` into syllables (fewest syllables wins); None if it is not pinyin."""
    n = len(letters)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            head = best[start]
            if head is not None and letters[start:end] in SYLLABLES:
                option = (*head, letters[start:end])
                current = best[end]
                if current is None or len(option) < len(current):
                    best[end] = option
    return best[n]


_TONE_DIGIT = re.compile(r"(?<=[a-zv])[1-5](?!\d)")
_LATIN_PARTS = re.compile(r"[a-zv]+|\d+")


def _latin_run(run: str) -> str:
    """Letters typed as pinyin become sound codes; numbers (12349) and non-pinyin words stay."""
    out: list[str] = []
    for part in _LATIN_PARTS.findall(_TONE_DIGIT.sub("", run)):
        syllables = None if part.isdigit() else segment_pinyin(part)
        out.append("".join(code(s) for s in syllables) if syllables else part)
    return "".join(out)


_LONGEST_PHRASE = 4


@cache
def _char_codes(ch: str) -> str:
    syllables = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore", v_to_u=False)
    return "".join(code(s) if s in SYLLABLES else s for s in syllables)


_PHRASE_CODES: dict[str, str] = {}  # the codes of the phrases met so far (only real phrases: bounded)


def _phrase_codes(phrase: str) -> str | None:
    found = _PHRASE_CODES.get(phrase)
    if found is None:
        readings = phrases_dict.get(phrase)
        if readings is None:
            return None
        found = _PHRASE_CODES[phrase] = "".join(code(_strip_tone(r[0])) for r in readings)
    return found


def _phrase_starts() -> dict[str, int]:
    """For each two characters that begin a phrase of the table, the longest such phrase (up to 4)."""
    found: dict[str, int] = {}
    for phrase in phrases_dict:
        if 2 <= len(phrase) <= _LONGEST_PHRASE:
            found[phrase[:2]] = max(found.get(phrase[:2], 0), len(phrase))
    return found


_PHRASE_STARTS = _phrase_starts()


@lru_cache(maxsize=65536)
def _han_sounds(run: str) -> str:
    """Pinyin codes of a run of Chinese characters.

    pypinyin's phrase table picks the reading of polyphones in words (银行 hang, 长期 chang),
    looked up longest word first; other characters take their own reading. This is what
    `lazy_pinyin` does, without its per-call overhead (which was most of a question's cost).
    Only the lengths of phrases that begin with the next two characters are tried (most
    positions begin none, or only two-character ones).
    """
    out: list[str] = []
    i, size = 0, len(run)
    while i < size:
        for n in range(min(_PHRASE_STARTS.get(run[i : i + 2], 0), size - i), 1, -1):
            piece = run[i : i + n]
            if piece in phrases_dict:
                out.append(_phrase_codes(piece) or "")
                i += n
                break
        else:
            out.append(_char_codes(run[i]))
            i += 1
    return "".join(out)


_RUNS = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)|([a-zv0-9 ]+)|(.)")


def sounds(text: str) -> str:
    """The sound key of normalised text (lower case, simplified, no punctuation)."""
    out: list[str] = []
    for han, latin, other in _RUNS.findall(text):
        if han:
            out.append(_han_sounds(han))
        elif latin:
            out.append(_latin_run(latin))
        else:
            out.append(other)
    return "".join(out)
