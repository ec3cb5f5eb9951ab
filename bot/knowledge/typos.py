"""Shape typos: a character the knowledge never uses, replaced by the one its neighbours go with.

Shape typos (低俣, 临吋救助, 救肋) sound nothing like the intended word, so sound keys cannot
help; but an unknown character between two known ones is almost always a slip, and the
phrasings show which character belongs there (低_ -> 保, 救_ -> 助).

Which character follows which is counted with numpy over all phrasings at once (one `np.unique`
of code-point pairs, kept as sorted arrays): counting 700,000 pairs into nested Counters took
half a second at 10,000 entries, and the arrays pickle small when a snapshot is built in a child
process. A question looks its neighbours up in those arrays (cached per pair of neighbours).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

_SEPARATOR = "\x00"  # between texts: normalised text has no control characters
_BITS = 21  # a code point fits in 21 bits


class TypoFixer:
    def __init__(self, texts: list[str], also_known: Sequence[str] = ()) -> None:
        """`texts` teach which character follows which; `also_known` only adds characters that are no slip."""
        joined = _SEPARATOR.join(texts)
        known = set(joined) | set("".join(also_known))
        han = "".join(sorted(c for c in known if "\u3400" <= c <= "\u9fff"))
        self._unknown = re.compile(f"(?![{han}])[\u3400-\u9fff]" if han else "[\u3400-\u9fff]")
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), "<u4").astype(np.int64)
        left, right = points[:-1], points[1:]
        inside = (left != 0) & (right != 0)  # pairs within one text
        pairs, counts = np.unique(left[inside] << _BITS | right[inside], return_counts=True)
        first, second = pairs >> _BITS, pairs & ((1 << _BITS) - 1)
        order = np.lexsort((first, second))
        self._after = first, second, counts  # sorted by the left character
        self._before = second[order], first[order], counts[order]  # sorted by the right character
        self._pick = functools.lru_cache(maxsize=65536)(self._choose)

    def __getstate__(self) -> dict[str, object]:
        # a cache of bound methods: rebuilt, not pickled (a snapshot built in a child process)
        return {key: value for key, value in self.__dict__.items() if key != "_pick"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._pick = functools.lru_cache(maxsize=65536)(self._choose)

    @staticmethod
    def _neighbours(table: tuple[np.ndarray, np.ndarray, np.ndarray], char: str) -> dict[str, int]:
        """The characters seen beside `char` (on the table's side) and how often; none for ""."""
        if not char:
            return {}
        keys, others, counts = table
        low, high = np.searchsorted(keys, [ord(char), ord(char) + 1])
        return dict(zip(map(chr, others[low:high].tolist()), counts[low:high].tolist(), strict=True))

    def _choose(self, left: str, right: str) -> str | None:
        """The character that best fits between two neighbours ("" at either end), or None."""
        after, before = self._neighbours(self._after, left), self._neighbours(self._before, right)
        options = set(after) | set(before)
        if not options:
            return None
        return max(
            options,
            key=lambda x: ((x in after) + (x in before), after.get(x, 0) + before.get(x, 0), x),
        )

    def __call__(self, text: str) -> str:
        slips = [m.start() for m in self._unknown.finditer(text)]
        if not slips:
            return text
        chars = list(text)
        for i in slips:  # left to right: a fixed character is the next one's left neighbour
            chars[i] = (
                self._pick(chars[i - 1] if i else "", chars[i + 1] if i + 1 < len(chars) else "") or chars[i]
            )
        return "".join(chars)
