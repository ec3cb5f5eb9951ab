"""Splitting long text into pages that fit a byte budget, for channels that show one message a turn.

WeChat's text replies stop at about 2048 UTF-8 bytes; a long answer becomes pages the resident
reads one by one with `更多`. Splits fall on line breaks where possible, never inside a character,
and joining the pages gives back the text exactly.
"""

from __future__ import annotations


def byte_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_pages(text: str, limit: int) -> list[str]:
    """Pages of at most `limit` UTF-8 bytes whose concatenation is exactly `text`."""
    if limit < 4:
        raise ValueError("limit must hold at least one character")
    pages: list[str] = []
    rest = text
    while byte_len(rest) > limit:
        cut = _fit(rest, limit)
        newline = rest.rfind("\n", 0, cut)
        if newline >= cut // 2:
            cut = newline + 1
        pages.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pages:
        pages.append(rest)
    return pages


def _fit(text: str, limit: int) -> int:
    """Largest prefix length (in characters) whose encoding fits in `limit` bytes."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if byte_len(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low
