"""The one normaliser for residents' text: every flow, the safety net and the matcher start here.

Residents type on phones set to traditional characters, in full-width, with stray control
characters from voice input, or paste text with odd spacing. `fold` brings any of that to one
form (NFKC width folding, lower case, simplified characters, no control characters, single
spaces); `compact` also drops spaces and punctuation, for comparing short replies and commands.
Word lists are compared after the same folding, so a list written in simplified characters also
hears the traditional spelling.

OpenCC's phrase conversion costs about 1 µs a character; the safety check runs on every message,
so `fold` skips it when nothing in the text is one OpenCC would convert (most messages): no
character it converts on its own, and none of the phrases it converts. Both are cached: one
message is folded and compacted again by every reader it passes (menus, commands, slots, intents).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

import opencc
from opencc import OpenCC

_T2S = OpenCC("t2s")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # Cc and Cs, but \t \n \r


def _tables() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """From OpenCC's own t2s tables: the characters it converts on their own, and for each character
    a phrase converts, the phrases that convert it (a phrase converts where its first target differs)."""
    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    characters: set[str] = set()
    phrases: dict[str, set[str]] = {}
    for name in ("TSCharacters.txt", "TSPhrases.txt"):
        with open(os.path.join(folder, name), encoding="utf-8") as table:
            for line in table:
                source, _, target = line.rstrip("\n").partition("\t")
                first = target.split(" ")[0]
                if name == "TSCharacters.txt":
                    characters.update(source if first != source else "")
                elif source != first:
                    for ch in {ch for ch, to in zip(source, first, strict=False) if ch != to}:
                        phrases.setdefault(ch, set()).add(source)
    return frozenset(characters), {ch: tuple(sorted(found)) for ch, found in phrases.items()}


_CHARACTERS, _PHRASES = _tables()
_CONVERTIBLE = _CHARACTERS | frozenset(_PHRASES)


def _converts(text: str) -> bool:
    """Whether OpenCC's t2s would change the text: a character it converts on its own, or a phrase
    it converts. 么 is only converted in 么麼, so 怎么 needs no conversion (a quarter of the questions
    had a character of a phrase only, and paid 1 µs a character for nothing)."""
    if _CONVERTIBLE.isdisjoint(text):
        return False
    if not _CHARACTERS.isdisjoint(text):
        return True
    return any(phrase in text for ch in _CONVERTIBLE.intersection(text) for phrase in _PHRASES[ch])


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Width, case, script and spacing folded; control characters (and lone surrogates) dropped."""
    kept = _CONTROL.sub("", unicodedata.normalize("NFKC", text).lower())
    if _converts(kept):
        kept = _T2S.convert(kept)
    return _SPACES.sub(" ", kept).strip()


@lru_cache(maxsize=4096)
def compact(text: str) -> str:
    """`fold`, then without any whitespace, punctuation or symbol: for short replies and commands."""
    return "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] not in "PSZ")
