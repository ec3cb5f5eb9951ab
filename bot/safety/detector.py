"""Does this message signal danger to life, and which kind? Explainable cue by cue.

Every cue found in the message is judged on its own (`judge.py`: a look-alike or a modifier may
drop it, an urgent word keeps it); what survives decides the categories (in the file's priority
order) and their numbers. When no cue stands, or one stands that the learned second stage
(`model.py`) is sure is no danger, the model decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.linear import text_grams
from bot.phrases import prepare
from bot.safety.cues import CueBook
from bot.safety.judge import Found, Verdict, judge, overlap
from bot.safety.model import Model, context_features, cue_features
from bot.safety.numbers import EmergencyNumber, emergency_numbers

MAX_TEXT = 1000
MAX_NUMBERS = 4  # more would bury the first ones


@dataclass(frozen=True, slots=True)
class Danger:
    category: str  # the first category in priority order: the one counted
    categories: tuple[str, ...]
    numbers: tuple[EmergencyNumber, ...]
    care: str
    cues: tuple[str, ...]  # the patterns that stood (for staff tools, never logged with the text)


class Detector:
    """The cues (first stage) and, when given, the learned second stage (`model.py`)."""

    def __init__(self, book: CueBook, model: Model | None = None) -> None:
        self.book = book
        self.model = model
        self._order = {cid: i for i, cid in enumerate(book.categories)}

    def verdicts(self, text: str) -> list[Verdict]:
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[list[Verdict], Found]:
        """The verdicts on the cues found, and the message's modifiers (searched once, for the
        verdicts and the model's context features alike)."""
        message = prepare(text[:MAX_TEXT])
        mods = Found(self.book.modifiers, message)
        hits = self.book.cues.hits(message)
        if not hits:
            return [], mods
        exceptions = Found(self.book.exceptions, message)
        first = [judge(self.book, hit, self.book.groups[hit.group], mods, exceptions) for hit in hits]
        # A cue a more specific category also read (他想不开: suicide_other) is judged there only,
        # unless that reading was itself a look-alike (娃娃误喝了农药 is poisoning, not suicide) or
        # lacked the context its group needs (要去江边 without 关机 is no one else's danger).
        readers = [(hit, v) for hit, v in zip(hits, first, strict=True)
                   if v.dropped_by not in ("except", "needs")]
        return [replace(v, dropped_by="outranked")
                if v.dropped_by is None and any(overlap(h, hit) and v.category in self._outranks(r)
                                                for h, r in readers)
                else v for hit, v in zip(hits, first, strict=True)], mods

    def rule_features(self, text: str) -> set[str]:
        verdicts, mods = self._read(text)
        return cue_features(verdicts, self._by_cues(verdicts) is not None) | context_features(mods.groups())

    def features(self, text: str, stands: bool = False) -> set[str]:
        """The second stage's features of a message (`stands`: a cue stands on it)."""
        verdicts, mods = self._read(text)
        return self._features(text, verdicts, mods, stands)

    def _features(self, text: str, verdicts: list[Verdict], mods: Found, stands: bool) -> set[str]:
        found = text_grams(text)  # a new set: the cues' features join it in place, not a copy
        found |= cue_features(verdicts, stands)
        found |= context_features(mods.groups())  # what the message is about besides a cue
        return found

    def detect(self, text: str) -> Danger | None:
        verdicts, mods = self._read(text)
        danger = self._by_cues(verdicts)
        if self.model is None:
            return danger
        if danger is not None:
            vetoed = self.model.veto is not None and self.model.overrules(
                self._features(text, verdicts, mods, True))
            return None if vetoed else danger
        features = self._features(text, verdicts, mods, False)
        if not self.model.heard(features):
            return None
        categories = self.model.categories_for(features)
        return self._danger(categories, categories, ("(model)",))

    def _by_cues(self, verdicts: list[Verdict]) -> Danger | None:
        kept = self._enough([v for v in verdicts if v.dropped_by is None])
        if not kept:
            return None
        categories = sorted({v.category for v in kept}, key=self._order.__getitem__)
        outranked = {o for c in categories for o in self.book.categories[c].outranks}
        categories = [c for c in categories if c not in outranked]
        groups = sorted({v.group for v in kept if v.category in categories},
                        key=lambda g: (self._order[self.book.groups[g].category], "#" not in g, g))
        return self._danger(categories, groups,
                            tuple(dict.fromkeys(v.pattern for v in kept if v.category in categories)))

    def _danger(self, categories: list[str], groups: list[str], cues: tuple[str, ...]) -> Danger:
        known = emergency_numbers()
        numbers = list(dict.fromkeys(n for g in groups for n in self.book.groups[g].numbers))[:MAX_NUMBERS]
        return Danger(categories[0], tuple(categories), tuple(known[n] for n in numbers),
                      self.book.categories[categories[0]].care, cues)

    def _enough(self, kept: list[Verdict]) -> list[Verdict]:
        """Drop the cues of groups that need several distinct cues and have fewer (symptom clusters)."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for v in kept:
            taken = spans.setdefault(v.group, [])
            if all(v.end <= start or end <= v.start for start, end in taken):
                taken.append((v.start, v.end))
        return [v for v in kept if len(spans[v.group]) >= self.book.groups[v.group].at_least]

    def _outranks(self, verdict: Verdict) -> tuple[str, ...]:
        return self.book.categories[verdict.category].outranks
