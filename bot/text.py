"""The one normaliser for residents' text: every flow, the safety net and the matcher start here.

Residents type on phones set to traditional characters, in full-width, with stray control
characters from voice input, or paste text with odd spacing. `fold` brings any of that to one
form (NFKC width folding, lower case, simplified characters, no control characters, single
spaces); `compact` also drops spaces and punctuation, for comparing short replies and commands.
Word lists are compared after the same folding, so a list written in simplified characters also
hears the traditional spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")
_SPACES = re.compile(r"\s+")
_LAYOUT = "\t\n\r"  # the only control characters kept (as spaces)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Width, case, script and spacing folded; control characters (and lone surrogates) dropped."""
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = "".join(ch for ch in folded if ch in _LAYOUT or unicodedata.category(ch) not in ("Cc", "Cs"))
    return _SPACES.sub(" ", _T2S.convert(kept)).strip()


def compact(text: str) -> str:
    """`fold`, then without any whitespace, punctuation or symbol: for short replies and commands."""
    return "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] not in "PSZ")
