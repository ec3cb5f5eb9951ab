"""Heads: alternations written so that the expression engine sees their first characters.

A word class is an alternation of tens of words, some of them sequences of classes themselves;
Python's `re` tries every alternative at every position of a message, unless an alternative starts
with a plain character, which it compares in C without entering it; and a pattern that starts with
such an alternation gets a character set with which the search skips positions where no match can
start. So each alternation is written grouped by first character: 自杀|自尽|轻生 becomes
自(?:杀|尽)|轻生, and (挂|吊)在门上 becomes 挂在门上|吊在门上 when the copy is short.

Alternatives that start with different characters never match at the same position, so grouping
them changes no match: only alternatives that can start with the same character keep their order
(an alternative without one first character, such as one that starts with a class of many, or
one that can match nothing, is kept in its place and closes the groups of its characters).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

DISTRIBUTE_MAX = 1500  # characters of expression a first group may copy to expose its characters
GUARD_HEADS = 8  # alternatives from which a class after a gap is worth a look at the next character


@dataclass(frozen=True, slots=True)
class Head:
    """One alternative: `lead`, the one character it starts with, then `rest`; or, when it has no
    single first character (`lead` None), the characters it can start with (`first`; None: any, or
    none at all: it can match nothing) and its whole expression in `rest`."""

    first: frozenset[str] | None
    lead: str | None
    rest: str

    @property
    def text(self) -> str:
        return self.rest if self.lead is None else re.escape(self.lead) + self.rest


SKIP = Head(frozenset(), None, "")  # an optional part's way of matching nothing (inside a sequence only)


def whole(first: frozenset[str] | None, text: str) -> tuple[Head, ...]:
    return (Head(first, None, text),)


def character(lead: str) -> tuple[Head, ...]:
    return (Head(frozenset(lead), lead, ""),)


@dataclass(frozen=True, slots=True)
class Part:
    """What a sequence needs of each of its parts."""

    heads: tuple[Head, ...]
    first: frozenset[str] | None  # characters a match can start with (None: any)
    min_len: int
    text: str


def first_of(parts: Sequence[Part]) -> frozenset[str] | None:
    """The characters a match of the sequence can start with: those of its parts up to the first
    that cannot match nothing (optional parts and edges let the next one start)."""
    found: set[str] = set()
    for part in parts:
        if part.first is None:
            return None
        found |= part.first
        if part.min_len > 0:
            return frozenset(found)
    return None


def optional(inner: Part, text: str) -> tuple[Head, ...]:
    return (*inner.heads, SKIP) if inner.min_len > 0 else whole(None, text)


def sequence(parts: Sequence[Part]) -> tuple[Head, ...]:
    """A sequence's heads: its first part's, each followed by the rest (an optional first part's
    skipping followed by the rest's own heads), when that part starts with known characters and
    the copies stay short; else the whole sequence as one."""
    text = "".join(p.text for p in parts)
    first = first_of(parts)
    heads = parts[0].heads if parts else ()
    if first is None or not all(h.lead is not None or h is SKIP for h in heads):
        return whole(first, text)
    rest = "".join(p.text for p in parts[1:])
    if (len(heads) - 1) * len(rest) > DISTRIBUTE_MAX:
        return whole(first, text)
    found: list[Head] = []
    for head in heads:
        copied = (Head(head.first, head.lead, head.rest + rest),)
        found.extend(sequence(parts[1:]) if head is SKIP else copied)
    return tuple(found)


def guarded(parts: list[Part]) -> list[Part]:
    """The parts, a large alternation right after a gap (…) led by a look at the next character:
    the lazy gap tries it after every length, and a look costs less than scanning its alternatives."""
    found = parts[:1]
    for before, part in itertools.pairwise(parts):
        if (before.first is None and before.min_len == 0 and part.min_len > 0 and part.first
                and len(part.heads) >= GUARD_HEADS):
            look = "(?=[" + "".join(map(re.escape, sorted(part.first))) + "])"
            part = Part(part.heads, part.first, part.min_len, look + part.text)
        found.append(part)
    return found


def alternation(options: Sequence[Part]) -> tuple[Head, ...]:
    """The alternatives' heads in order (one that can match nothing is one head of any character)."""
    return tuple(h for o in options for h in (o.heads if o.min_len > 0 else whole(None, o.text)))


def factored(heads: Sequence[Head]) -> str:
    """The expression of these alternatives, grouped by first character where order allows."""
    branches: list[tuple[str | None, list[str]]] = []
    open_at: dict[str, int] = {}  # first character → its group, while no alternative in between shares it
    for head in heads:
        if head.lead is None:
            if head.first is None:
                open_at.clear()
            else:
                for ch in head.first:
                    open_at.pop(ch, None)
            branches.append((None, [head.rest]))
        elif head.lead in open_at:
            branches[open_at[head.lead]][1].append(head.rest)
        else:
            open_at[head.lead] = len(branches)
            branches.append((head.lead, [head.rest]))
    texts = [rests[0] if lead is None else re.escape(lead) + _either(rests) for lead, rests in branches]
    return "(?:" + "|".join(texts) + ")"


def _either(rests: list[str]) -> str:
    return rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")"
