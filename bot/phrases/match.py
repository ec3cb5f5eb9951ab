"""Matching: patterns listed under group names, found together in a prepared message.

A pattern's expression runs only where a match can be: every match contains one of the pattern's
keys and is at most `max_len` long, so it lies within `max_len` of a key the Aho-Corasick pass
found. The expression is searched in those windows (merged where they overlap), not in the whole
message: on a long story it reads a fifth of the characters, with the same hits (a window's edges
cut off only matches that cannot be; the expressions look around with \\n-lookarounds only, which
a search window's start does not hide and its end at most refuses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick

from bot.phrases.grammar import Compiled, Grammar
from bot.phrases.message import Prepared

SOUND_MIN = 3  # syllables a gapless pattern needs to be matched by sound in character text
WINDOWS_FROM = 40  # characters of a message from which searching windows pays for finding them
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Hit:
    group: str  # the name the pattern was listed under (a category, an intent, a modifier)
    pattern: str  # the pattern as staff wrote it
    start: int
    end: int
    sounds: bool  # matched on Prepared.sounds (else on Prepared.text)
    gaps: tuple[tuple[int, int], ...] = ()  # where the pattern's … matched

    def in_gap(self, start: int, end: int) -> bool:
        return any(low <= start and end <= high for low, high in self.gaps)


@dataclass(slots=True)
class _Entry:
    group: str
    source: str
    compiled: Compiled
    sound_ok_in_han: bool  # long enough (and without gaps) to be matched by sound in character text
    _text: re.Pattern[str] | None = None
    _sounds: re.Pattern[str] | None = None

    # Compiled on first use: most patterns are never tried in a given process's first minutes,
    # and compiling hundreds of alternations up front would slow every start and reload.
    @property
    def text(self) -> re.Pattern[str]:
        if self._text is None:
            self._text = re.compile(self.compiled.text)
        return self._text

    @property
    def sounds(self) -> re.Pattern[str]:
        if self._sounds is None:
            self._sounds = re.compile(self.compiled.sounds)
        return self._sounds


class PhraseSet:
    """Patterns listed under group names, matched together against prepared messages."""

    KINDS = ("text", "han", "pinyin")  # characters; sounds in character text; sounds in pinyin input

    def __init__(self, groups: Mapping[str, Iterable[str]], grammar: Grammar,
                 sound_min: int = SOUND_MIN) -> None:
        """`sound_min`: the syllables a gapless pattern needs to be heard by sound in character text
        (short command phrases have many chance homophones: 明天天气 sounds like 明天填)."""
        self.entries: list[_Entry] = []
        keyed: dict[str, dict[str, list[int]]] = {kind: {} for kind in self.KINDS}
        self._always: dict[str, list[int]] = {kind: [] for kind in self.KINDS}
        for group, patterns in groups.items():
            for source in patterns:
                compiled = grammar.compile(str(source))
                index = len(self.entries)
                entry = _Entry(group, str(source), compiled,
                               compiled.gapless and compiled.min_len >= sound_min)
                self.entries.append(entry)
                kinds = [("text", compiled.keys), ("pinyin", compiled.sound_keys)]
                if entry.sound_ok_in_han:
                    kinds.append(("han", compiled.sound_keys))
                for kind, keys in kinds:
                    if keys is None:
                        self._always[kind].append(index)
                    for key in keys or ():
                        keyed[kind].setdefault(key, []).append(index)
        self._automata = {kind: _automaton(table) for kind, table in keyed.items()}
        shared: dict[frozenset[str], ahocorasick.Automaton] = {}
        self._more = {kind: [tuple(_finder(keys, shared) for keys in (
            e.compiled.more_keys if kind == "text" else e.compiled.more_sound_keys)) for e in self.entries]
            for kind in self.KINDS}
        self._requires = {"text": [e.compiled.requires for e in self.entries],
                          "han": [e.compiled.sound_requires for e in self.entries],
                          "pinyin": [e.compiled.sound_requires for e in self.entries]}

    def _candidates(self, kind: str, text: str, chars: frozenset[str]) -> list[tuple[int, list[Span]]]:
        """The patterns a match of which the text may hold, each with the windows it can be in
        (the whole text when it has no keys, or the text is short)."""
        automaton = self._automata[kind]
        found: dict[int, list[Span] | None] = dict.fromkeys(self._always[kind])
        if automaton is not None and len(text) < WINDOWS_FROM:
            for _, (_, indices) in automaton.iter(text):
                found.update(dict.fromkeys(indices))
        elif automaton is not None:
            for last, (length, indices) in automaton.iter(text):
                for i in indices:
                    keys = found.setdefault(i, [])
                    if keys is not None:
                        keys.append((last + 1 - length, last + 1))
        size = len(text)
        if len(found) < 2:
            return [(i, _windows(keys, self.entries[i].compiled.max_len, size)) for i, keys in found.items()]
        requires, more = self._requires[kind], self._more[kind]
        chosen = []
        for i in sorted(i for i in found if not any(map(chars.isdisjoint, requires[i]))):
            windows = _windows(found[i], self.entries[i].compiled.max_len, size)
            # every match holds a key of each other part too, inside the windows
            if all(any(next(finder.iter(text, low, high - 1), None) is not None for low, high in windows)
                   for finder in more[i]):
                chosen.append((i, windows))
        return chosen

    def hits(self, message: Prepared) -> list[Hit]:
        """Every occurrence of every pattern in the message, by characters and by sound."""
        if message.pinyin:
            return self._pass("pinyin", message.sounds, message.sound_chars, True, set())
        matched: set[int] = set()
        found = self._pass("text", message.text, message.chars, False, matched)
        # A pattern already found by its characters: its sound would only find it again.
        return found + self._pass("han", message.sounds, message.sound_chars, True, matched)

    def _pass(self, kind: str, text: str, chars: frozenset[str], sounds: bool, matched: set[int]
              ) -> list[Hit]:
        found: list[Hit] = []
        for i, windows in self._candidates(kind, text, chars):
            if i in matched:
                continue
            entry = self.entries[i]
            hits = _search(entry, entry.sounds if sounds else entry.text, text, sounds, windows)
            if hits:
                matched.add(i)
                found.extend(hits)
        return found


def _automaton(table: dict[str, list[int]]) -> ahocorasick.Automaton | None:
    if not table:
        return None
    automaton = ahocorasick.Automaton()
    for key, indices in table.items():
        automaton.add_word(key, (len(key), tuple(indices)))
    automaton.make_automaton()
    return automaton


def _finder(keys: frozenset[str], shared: dict[frozenset[str], ahocorasick.Automaton]
            ) -> ahocorasick.Automaton:
    """An automaton that says whether a text has one of these keys (one per distinct set)."""
    if keys not in shared:
        automaton = ahocorasick.Automaton()
        for key in keys:
            automaton.add_word(key, None)
        automaton.make_automaton()
        shared[keys] = automaton
    return shared[keys]


def _windows(keys: list[Span] | None, reach: int | None, size: int) -> list[Span]:
    """Where the matches of a pattern at most `reach` long that contain one of these keys can be,
    merged where they overlap, each with one character more for a lookahead at its end."""
    if keys is None or reach is None:
        return [(0, size)]
    if len(keys) == 1:
        start, end = keys[0]
        return [(max(0, end - reach), min(size, start + reach + 1))]
    merged: list[Span] = []
    for low, high in sorted((max(0, end - reach), start + reach) for start, end in keys):
        if merged and low <= merged[-1][1]:  # touching too: a lookahead character is the next one's first
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return [(low, min(size, high + 1)) for low, high in merged]


def _search(entry: _Entry, pattern: re.Pattern[str], text: str, sounds: bool, windows: list[Span]
            ) -> list[Hit]:
    return [Hit(entry.group, entry.source, m.start(), m.end(), sounds,
                tuple(m.span(g) for g in range(1, pattern.groups + 1) if m.start(g) < m.end(g)))
            for low, high in windows for m in pattern.finditer(text, low, high) if m.end() > m.start()]
