"""The one normaliser for residents' text: every flow, the safety net and the matcher start here.

Residents type on phones set to traditional characters, in full-width, with stray control
characters from voice input, or paste text with odd spacing. `fold` brings any of that to one
form (NFKC width folding, lower case, simplified characters, no control characters, single
spaces); `compact` also drops spaces and punctuation, for comparing short replies and commands.
Word lists are compared after the same folding, so a list written in simplified characters also
hears the traditional spelling.

OpenCC's phrase conversion costs about 2 µs a character; the safety check runs on every message,
so `fold` skips it when no character of the text is one OpenCC could convert (most messages).
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


def _convertible() -> frozenset[str]:
    """Every character that starts or takes part in a t2s conversion (from OpenCC's own tables)."""
    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    found: set[str] = set()
    for name in ("TSCharacters.txt", "TSPhrases.txt"):
        with open(os.path.join(folder, name), encoding="utf-8") as table:
            for line in table:
                source, _, target = line.rstrip("\n").partition("\t")
                if name == "TSCharacters.txt":
                    found.update(source)
                elif source != target.split(" ")[0]:
                    found.update(ch for ch, to in zip(source, target, strict=False) if ch != to)
    return frozenset(found)


_CONVERTIBLE = _convertible()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Width, case, script and spacing folded; control characters (and lone surrogates) dropped."""
    kept = _CONTROL.sub("", unicodedata.normalize("NFKC", text).lower())
    if not _CONVERTIBLE.isdisjoint(kept):
        kept = _T2S.convert(kept)
    return _SPACES.sub(" ", kept).strip()


def compact(text: str) -> str:
    """`fold`, then without any whitespace, punctuation or symbol: for short replies and commands."""
    return "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] not in "PSZ")
