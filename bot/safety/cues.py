"""Reading the staff-edited cue file (`cues.yaml`) into compiled phrase sets, or saying what is wrong.

A cue book is immutable once built; the detector swaps in a new one when the file changes, and a
file that does not load never replaces the last good book (`CueError` lists every problem).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import DataError
from bot.phrases import SOUND_MIN, Grammar, PatternError, PhraseSet
from bot.safety.numbers import emergency_numbers

CUES_PATH = Path(__file__).with_name("cues.yaml")
MODIFIERS = ("negated", "past", "hypothetical", "settled", "aid", "recovered", "joking", "reported")
PLACES = ("before", "after", "anywhere", "except")
MIN_CUE_LENGTH = 2  # characters; a one-character cue would fire on almost every message
# Look-alikes and modifiers are heard by sound in character text only when long: a homophone of
# 不是 or 去年 must not cancel a real cue (pinyin input is always matched by sound).
LONG_SOUND_MIN = 5


class CueError(DataError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the cue file; first: {problems[0]}")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CueGroup:
    """Cues of one category that share numbers and cancellations."""

    name: str  # category, or category#n for its extra groups
    category: str
    numbers: tuple[str, ...]
    cancelled_by: frozenset[str]
    needs: bool = False  # the cues count only with one of the group's `needs` anywhere in the message
    at_least: int = 1  # distinct (non-overlapping) cues of the group the message must have


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: str  # what staff pages call it
    care: str
    outranks: tuple[str, ...]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CueBook:
    categories: dict[str, Category]  # in priority order
    groups: dict[str, CueGroup]
    cues: PhraseSet  # group name → patterns
    exceptions: PhraseSet  # category → its look-alikes
    modifiers: PhraseSet  # "past:before", "negated:except", "urgent", "needs:<group>" …
    windows: dict[str, int]


def _strings(value: Any, where: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        problems.append(f"{where}: expected a list of phrases")
        return []
    return [str(v) for v in value]


def _phrase_set(groups: dict[str, list[str]], grammar: Grammar, problems: list[str],
                sound_min: int = SOUND_MIN) -> PhraseSet:
    good: dict[str, list[str]] = {}
    for name, patterns in groups.items():
        for pattern in patterns:
            try:
                compiled = grammar.compile(pattern)
            except PatternError as exc:
                problems.append(f"{name}: {exc}")
                continue
            is_cue = name.partition(":")[0] not in (*MODIFIERS, "urgent", "needs")
            if is_cue and compiled.min_len < MIN_CUE_LENGTH:
                problems.append(f"{name}: {pattern!r} can match a single character; make it longer")
                continue
            good.setdefault(name, []).append(pattern)
    return PhraseSet(good, grammar, sound_min=sound_min)


def _category(cid: str, raw: Any, known_numbers: set[str], problems: list[str],
              groups: dict[str, CueGroup], cues: dict[str, list[str]], modifiers: dict[str, list[str]]
              ) -> Category | None:
    if not isinstance(raw, dict):
        problems.append(f"category {cid}: expected a mapping")
        return None
    care = raw.get("care")
    if not isinstance(care, str) or not care.strip():
        problems.append(f"category {cid}: `care` (one caring sentence) is missing")
    parts = [raw, *(raw.get("groups") or [])]
    for index, part in enumerate(parts):
        name = cid if index == 0 else f"{cid}#{index}"
        numbers = _strings(part.get("numbers", raw.get("numbers")), f"{name} numbers", problems)
        if not numbers:
            problems.append(f"{name}: no `numbers`")
        for number in numbers:
            if number not in known_numbers:
                problems.append(f"{name}: unknown number id {number!r} (see bot/data/emergency_numbers.yaml)")
        cancelled = _strings(part.get("cancelled_by", raw.get("cancelled_by")), f"{name} cancelled_by",
                             problems)
        for modifier in cancelled:
            if modifier not in MODIFIERS:
                problems.append(f"{name}: unknown modifier {modifier!r} in cancelled_by")
        patterns = _strings(part.get("cues"), f"{name} cues", problems)
        if not patterns:
            problems.append(f"{name}: no `cues`")
        duplicates = {p for p in patterns if patterns.count(p) > 1}
        if duplicates:
            problems.append(f"{name}: repeated cue(s) {sorted(duplicates)}")
        needs = _strings(part.get("needs"), f"{name} needs", problems) if index else []
        if needs:
            modifiers[f"needs:{name}"] = needs
        at_least = part.get("at_least", 1) if index else 1
        if not isinstance(at_least, int) or at_least < 1:
            problems.append(f"{name}: at_least must be a whole number of at least 1")
            at_least = 1
        groups[name] = CueGroup(name, cid, tuple(numbers), frozenset(cancelled), bool(needs), at_least)
        cues[name] = patterns
    return Category(cid, str(raw.get("label") or cid), str(care or ""),
                    tuple(_strings(raw.get("outranks"), f"{cid} outranks", problems)),
                    tuple(_strings(raw.get("examples"), f"{cid} examples", problems)),
                    tuple(_strings(raw.get("not_examples"), f"{cid} not_examples", problems)))


def load_cues(path: Path = CUES_PATH) -> CueBook:
    problems: list[str] = []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CueError([f"{path.name}: cannot read: {exc}"]) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("categories"), dict):
        raise CueError([f"{path.name}: expected `classes`, `modifiers`, `urgent` and `categories`"])
    classes = raw.get("classes") or {}
    if not isinstance(classes, dict):
        raise CueError([f"{path.name}: `classes` must map names to lists of words"])
    grammar = Grammar({str(k): _strings(v, f"class {k}", problems) for k, v in classes.items()})
    modifier_groups: dict[str, list[str]] = {"urgent": _strings(raw.get("urgent"), "urgent", problems)}
    windows: dict[str, int] = {}
    for name, spec in (raw.get("modifiers") or {}).items():
        if name not in MODIFIERS or not isinstance(spec, dict):
            problems.append(f"modifier {name!r}: unknown, or not a mapping (known: {', '.join(MODIFIERS)})")
            continue
        windows[name] = int(spec.get("window", 0))
        for place in PLACES:
            if place in spec:
                words = _strings(spec[place], f"modifier {name}.{place}", problems)
                modifier_groups[f"{name}:{place}"] = words
    groups: dict[str, CueGroup] = {}
    cue_patterns: dict[str, list[str]] = {}
    exceptions: dict[str, list[str]] = {}
    categories: dict[str, Category] = {}
    known_numbers = set(emergency_numbers())
    for cid, spec in raw["categories"].items():
        category = _category(str(cid), spec, known_numbers, problems, groups, cue_patterns, modifier_groups)
        if category is not None:
            categories[category.id] = category
            exceptions[category.id] = _strings(spec.get("except"), f"{cid} except", problems)
    for category in categories.values():
        for other in category.outranks:
            if other not in categories:
                problems.append(f"{category.id}: outranks unknown category {other!r}")
    book = CueBook(categories, groups, _phrase_set(cue_patterns, grammar, problems),
                   _phrase_set(exceptions, grammar, problems, LONG_SOUND_MIN),
                   _phrase_set(modifier_groups, grammar, problems, LONG_SOUND_MIN), windows)
    if problems:
        raise CueError(problems)
    return book
