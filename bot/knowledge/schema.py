"""The FAQ entry format (bot/knowledge/faq/*.yaml) and its validation.

Staff edit these files by hand, so every mistake must come back as a message that names the file,
the line and the entry, in words a non-developer can act on. The format itself is described in
bot/knowledge/README.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.knowledge import yamlload

TOPICS = frozenset(
    [
        "dibao",
        "tekun",
        "standards",
        "review",
        "medical",
        "education",
        "housing",
        "employment",
        "disaster",
        "legal",
        "disability",
        "orphans",
        "linshi",
        "emergency",
        "vagrants",
        "charity",
        "social_work",
        "volunteer",
        "apply",
        "hotline",
        "online",
        "office",
        "complaints",
        "tasks",
        "general",
        "life",
        "payment",
    ]
)
FIELDS = frozenset(
    {"id", "question", "alternatives", "answer", "refs", "sources", "needs", "topic", "reviewed"}
)
REQUIRED = FIELDS - {"alternatives", "sources", "needs"}  # `check` requires needs; a reload tolerates none
MAX_NEEDS = 3
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LINE = "__line__"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    question: str
    alternatives: tuple[str, ...]
    answer: str
    refs: tuple[int, ...]
    topic: str
    reviewed: dt.date
    file: str
    line: int
    sources: tuple[str, ...] = ()  # ids of policy_texts/sources.yaml cited besides the task list
    needs: tuple[str, ...] = ()  # what the entry answers, as ids of taxonomy.yaml

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternatives)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}: {self.message}" if self.entry else f"{where}: {self.message}"


def load_yaml(text: str) -> Any:
    """The file's data (safe YAML), each mapping with its line under `_LINE` (for problem messages)."""
    return yamlload.load(text, _LINE)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_entry(
    raw: Any,
    file: str,
    index: int,
    valid_refs: frozenset[int],
    valid_sources: frozenset[str] | None = None,
    valid_needs: frozenset[str] | None = None,
) -> tuple[Entry | None, list[Problem]]:
    """One raw YAML mapping -> an Entry, or None with the problems that prevent it."""
    if not isinstance(raw, dict):
        return None, [
            Problem(file, 0, f"entry #{index + 1}", "each entry must be a mapping (id: …, question: …)")
        ]
    line = int(raw.pop(_LINE, 0))
    name = str(raw.get("id") or f"entry #{index + 1}")
    problems: list[Problem] = []

    def bad(message: str) -> None:
        problems.append(Problem(file, line, name, message))

    for key in sorted(set(raw) - FIELDS, key=str):
        bad(f"unknown field {key!r} (allowed: {', '.join(sorted(FIELDS))})")
    for key in sorted(REQUIRED - set(raw)):
        bad(f"missing field {key!r}")
    entry_id = raw.get("id")
    if "id" in raw and not (isinstance(entry_id, str) and ID_PATTERN.fullmatch(entry_id)):
        bad("id must be lowercase letters, digits and hyphens, e.g. dibao-apply")
    question, answer = _text(raw.get("question")), _text(raw.get("answer"))
    if "question" in raw and question is None:
        bad("question must be non-empty text")
    if "answer" in raw and answer is None:
        bad("answer must be non-empty text")
    alternatives_raw = raw.get("alternatives") or []
    alternatives = [_text(a) for a in alternatives_raw] if isinstance(alternatives_raw, list) else [None]
    if None in alternatives:
        bad("alternatives must be a list of non-empty phrasings")
    refs_raw = raw.get("refs")
    refs: list[int] = []
    sources = _sources(raw.get("sources", []), valid_sources, bad)
    if "refs" in raw:
        if not isinstance(refs_raw, list) or not all(type(r) is int for r in refs_raw):
            bad("refs must be a list of task-list item numbers, e.g. [1, 18]")
        elif not refs_raw and not sources:
            bad("an answer needs a source: task-list items in refs, or other sources in sources")
        else:
            refs = list(dict.fromkeys(refs_raw))
            for unknown in (r for r in refs if r not in valid_refs):
                bad(f"refs: there is no task-list item {unknown} (items are 1–{max(valid_refs)})")
    needs = _needs(raw.get("needs"), valid_needs, bad) if "needs" in raw else ()
    topic = raw.get("topic")
    if "topic" in raw and topic not in TOPICS:
        bad(f"unknown topic {topic!r} (allowed: {', '.join(sorted(TOPICS))})")
    reviewed = raw.get("reviewed")
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError:
            reviewed = None
    if "reviewed" in raw and not isinstance(reviewed, dt.date):
        bad("reviewed must be a date like 2026-11-29")
    if problems or not isinstance(reviewed, dt.date):
        return None, problems
    entry = Entry(
        id=str(entry_id),
        question=str(question),
        alternatives=tuple(a for a in alternatives if a),
        answer=str(answer),
        refs=tuple(refs),
        topic=str(topic),
        reviewed=reviewed if not isinstance(reviewed, dt.datetime) else reviewed.date(),
        file=file,
        line=line,
        sources=sources,
        needs=needs,
    )
    return entry, []


def _needs(value: Any, valid: frozenset[str] | None, bad: Any) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_NEEDS
        or not all(isinstance(n, str) for n in value)
    ):
        bad(f"needs must be a list of 1–{MAX_NEEDS} need ids from taxonomy.yaml, e.g. [dibao-apply]")
        return ()
    needs = tuple(dict.fromkeys(value))
    for unknown in (n for n in needs if valid is not None and n not in valid):
        bad(f"needs: {unknown!r} is not a need of taxonomy.yaml")
    return needs


def _sources(value: Any, valid: frozenset[str] | None, bad: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        bad("sources must be a list of source ids from policy_texts/sources.yaml, e.g. [dibao-measures]")
        return ()
    for unknown in (s for s in value if valid is not None and s not in valid):
        bad(f"sources: {unknown!r} is not a source of policy_texts/sources.yaml")
    return tuple(dict.fromkeys(value))
