"""Where a heard pattern stands in the message, for the intent classifier (`intents.py`).

A listed word decides an intent only when the message around it lets it: not right after a
negation (我不想删除; but 有没有 and 能不能 are questions, not negations), and chit-chat only when
it is not a clause of its own beside a request (好，那我现在申请). These are pure functions of the
prepared text (`bot.phrases`: clauses separated by newlines) and the hits in it.
"""

from __future__ import annotations

from bot.phrases import Hit


def beside(hit: Hit, text: str) -> bool:
    """Whether the chit-chat the pattern heard is a clause of its own beside others (好，那我现在申请;
    not 这个机器憨得很, where it is part of what is said)."""
    whole = not hit.sounds and text[hit.start - 1 : hit.start] == "\n" and text[hit.end : hit.end + 1] == "\n"
    return whole and len((text[: hit.start] + text[hit.end :]).replace("\n", "")) > 1


def more_than(hit: Hit, text: str) -> bool:
    """Whether the message says more than the words the pattern heard (谢谢 我还想问一下…)."""
    return len(text.replace("\n", "")) - (hit.end - hit.start) > 1


def clauses(text: str) -> int:
    return len([c for c in text.split("\n") if c])


def _a_not_a(negation: Hit, text: str) -> bool:
    """Whether the negation is the middle of an A-not-A question (有没有, 能不能, 要不要)."""
    start = negation.start
    return not negation.sounds and 0 < start < len(text) - 1 and text[start - 1] == text[start + 1]


def negated(hit: Hit, negations: list[Hit], text: str) -> bool:
    """A negation right before the pattern (要不要申请 is undecided, not a request), or right before
    what follows one of its gaps unless it is an A-not-A question there (测一下…有没有…救助 asks)."""
    return any(n.end == hit.start or (not _a_not_a(n, text) and any(
        low <= n.start and n.end == high for low, high in hit.gaps)) for n in negations)
