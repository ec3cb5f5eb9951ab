"""What becomes of one cue found in a message: it stands, or a look-alike or a modifier drops it.

A cue is dropped when it lies inside a look-alike (`except`: 想死你了, 跳楼价), or when a modifier
its category lists applies — a negation right before it (不是着火) or inside its gap (老公没打我),
a time long past within a few characters (去年着过火), a hypothetical (万一着火了), an emergency
already over (住院花了), a question about assistance (能申请救助吗) or something seen on
television. An urgent word next to the cue (救命, 快来, 还在里面) keeps it whatever else is said.
The detector (`detector.py`) decides from the verdicts which categories and numbers a message gets.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.phrases import Hit, PhraseSet, Prepared
from bot.safety.cues import CueBook, CueGroup

URGENT_WINDOW = 10
AFTER_WINDOW = 6  # characters after a cue in which 是去年 / 倒没有 still refer to it
NEGATION_AFTER_WINDOW = 3


@dataclass(frozen=True, slots=True)
class Verdict:
    """One cue found in a message and what became of it (None: it stands)."""

    group: str
    category: str
    pattern: str
    start: int
    end: int
    dropped_by: str | None


class Found:
    """The hits of a phrase set in one message by group, searched only when first asked for."""

    def __init__(self, phrases: PhraseSet, message: Prepared) -> None:
        self._phrases = phrases
        self._message = message
        self._found: dict[str, list[Hit]] | None = None

    def get(self, name: str) -> list[Hit]:
        return self._search().get(name, [])

    def groups(self) -> list[str]:
        """The groups with a hit (`past:before` …)."""
        return list(self._search())

    def _search(self) -> dict[str, list[Hit]]:
        if self._found is None:
            self._found = {}
            for hit in self._phrases.hits(self._message):
                self._found.setdefault(hit.group, []).append(hit)
        return self._found


def judge(book: CueBook, hit: Hit, group: CueGroup, mods: Found, exceptions: Found) -> Verdict:
    """The verdict on one cue hit, given the message's modifiers and look-alikes."""
    def verdict(reason: str | None) -> Verdict:
        return Verdict(group.name, group.category, hit.pattern, hit.start, hit.end, reason)

    if any(overlap(e, hit) for e in exceptions.get(group.category)):
        return verdict("except")
    if group.needs and not mods.get(f"needs:{group.name}"):
        return verdict("needs")
    if "negated" in group.cancelled_by and _negated(book, hit, mods):
        return verdict("negated")
    if "reported" in group.cancelled_by and mods.get("reported:anywhere"):
        return verdict("reported")
    urgent = any(u.start < hit.end + URGENT_WINDOW and hit.start - URGENT_WINDOW < u.end
                 for u in mods.get("urgent"))
    if urgent:
        return verdict(None)
    for name in ("past", "hypothetical"):
        if name in group.cancelled_by and _near(book, hit, mods, name):
            return verdict(name)
    for name in ("settled", "aid", "recovered", "joking"):
        if name in group.cancelled_by and _anywhere(book, hit, mods, name):
            return verdict(name)
    return verdict(None)


def _negated(book: CueBook, hit: Hit, mods: Found) -> bool:
    window = book.windows.get("negated", 1)
    masks = mods.get("negated:except")
    for neg in mods.get("negated:before"):
        if _inside_any(neg, masks):
            continue
        if hit.start - window <= neg.end <= hit.start and neg.start < hit.start:
            return True
        if any(low <= neg.start and neg.end == high for low, high in hit.gaps):
            return True
    after = mods.get("negated:after")
    return any(hit.end <= neg.start <= hit.end + NEGATION_AFTER_WINDOW for neg in after)


def _anywhere(book: CueBook, hit: Hit, mods: Found, name: str) -> bool:
    """Whether an `anywhere` modifier applies: found in the message, or within its `window` of
    the cue when the cue file gives one (a long question about 临时救助 with a gas leak told
    in another sentence is about the leak too). A modifier inside the cue is a homophone of
    part of it (xue zhi bu zhu: 补助 in 止不住)."""
    window = book.windows.get(name, 0)
    return any(not overlap(m, hit) and (not window or (m.start - hit.end <= window
                                                       and hit.start - m.end <= window))
               for m in mods.get(f"{name}:anywhere"))


def _near(book: CueBook, hit: Hit, mods: Found, name: str) -> bool:
    """Whether a `before` marker stands within the modifier's window ahead of the cue (or in its
    gap), or an `after` marker just behind it. A marker with one of the modifier's `except`
    phrases between it and the cue opens the condition of what the cue says will follow (如果不批
    我就去跳河: a threat, not a question), so it does not count."""
    window = book.windows.get(name, 12)
    thens = [m for m in mods.get(f"{name}:except") if m.end <= hit.start]
    for marker in mods.get(f"{name}:before"):
        if any(marker.end <= then.start for then in thens):
            continue
        if marker.end <= hit.start and hit.start - marker.end <= window:
            return True
        if hit.in_gap(marker.start, marker.end):
            return True
    return any(hit.end <= m.start <= hit.end + AFTER_WINDOW for m in mods.get(f"{name}:after"))


def overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _inside_any(hit: Hit, masks: list[Hit]) -> bool:
    return any(m.start <= hit.start and hit.end <= m.end for m in masks)
