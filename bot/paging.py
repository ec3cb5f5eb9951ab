"""One message a turn within a byte budget: splitting long text, and the one way a link is written.

WeChat's text replies stop at about 2048 UTF-8 bytes; a long answer becomes parts the resident
reads one by one with `更多`. Cuts fall after a line break, else a sentence end, else a space or
comma, never inside a code point or before a combining mark, and joining the parts gives back the
text exactly. `with_link` is how every text channel writes a reply's link (the passive reply, the
customer-service message), and `paginate` keeps room for exactly that line, so the message that
goes out, link included, is within the budget.
"""

from __future__ import annotations

import unicodedata

from bot.dialogs.base import Reply

# Preferred places to cut a long text, best first: after a line break, after the end of a
# sentence, after any space.
_BREAKS = ("\n", "。！？!?；;", " \t\u3000，,、")


def utf8_len(text: str) -> int:
    """UTF-8 size of ``text`` (lone surrogates count 3 bytes instead of raising). One pass in C:
    a size summed character by character in Python took ~250 µs for a long answer."""
    return len(text.encode("utf-8", "surrogatepass"))


def fits(text: str, limit: int) -> bool:
    """True when ``text`` is at most ``limit`` UTF-8 bytes."""
    return utf8_len(text) <= limit


def _joins_previous(char: str) -> bool:
    """Combining marks, variation selectors and joiners belong to the character before them."""
    return bool(unicodedata.combining(char)) or char in "\u200c\u200d" or "\ufe00" <= char <= "\ufe0f"


def _cut(text: str, start: int, limit: int) -> int:
    """End index of the next part of ``text`` beginning at ``start``."""
    window = text[start:start + limit]  # no more than `limit` characters fit in `limit` bytes
    raw = window.encode("utf-8", "surrogatepass")
    if len(raw) <= limit:
        end = start + len(window)
    else:  # the last character boundary at or before `limit` bytes
        cut = limit
        while raw[cut] & 0xC0 == 0x80:  # a continuation byte: its character began before
            cut -= 1
        end = start + len(raw[:cut].decode("utf-8", "surrogatepass"))
    if end == len(text):
        return end
    floor = start + (end - start) // 2
    for breaks in _BREAKS:
        best = max(text.rfind(b, floor, end) for b in breaks)
        if best >= floor:
            return best + 1
    hard = end
    while hard > floor and _joins_previous(text[hard]):
        hard -= 1
    return hard if hard > start else end


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-8 bytes; ``"".join(parts) == text``.

    Cuts after a line break when one lies in the second half of a part, else after a sentence end,
    else after a space or comma, else between characters (never inside a code point, and not
    before a combining mark or joiner). Break characters stay at the end of their part, so nothing
    is lost; WeChat does not show a trailing line break.
    """
    if limit < 4:
        raise ValueError("limit must be at least 4 bytes (one UTF-8 character)")
    parts: list[str] = []
    start = 0
    while True:
        end = _cut(text, start, limit)
        parts.append(text[start:end])
        if end == len(text):
            return parts
        start = end


def with_link(reply: Reply) -> str:
    """The reply as one text message: its text, then its link as a tap-able line."""
    if not reply.url:
        return reply.text
    return f'{reply.text}\n<a href="{reply.url}">{reply.link_text or reply.url}</a>'


def paginate(replies: list[Reply], limit: int, hint: str) -> tuple[Reply, list[str]]:
    """The replies merged into one whose `with_link` is at most `limit` bytes, and the pages kept
    for `更多`. The first page ends with `hint` when more follow; the last link given is kept
    (a hand-off reply is the whole answer)."""
    handoff = next((reply for reply in replies if reply.handoff), None)
    if handoff is not None:
        return handoff, []
    links = [reply for reply in replies if reply.url]
    url, link_text = (links[-1].url, links[-1].link_text) if links else (None, None)
    text = "\n\n".join(reply.text for reply in replies if reply.text)
    reserve = utf8_len(with_link(Reply("", url, link_text)))
    if utf8_len(text) + reserve <= limit:
        return Reply(text, url, link_text), []
    pages = split_text(text, limit - reserve - utf8_len(hint))
    return Reply(pages[0] + hint, url, link_text), pages[1:]
