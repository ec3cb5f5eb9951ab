"""`python -m bot.knowledge check`: everything that can be wrong in the knowledge files, in one report.

CI runs it, and staff run it after an edit. Errors stop CI (and a hot reload refuses files with
load errors); warnings point at things a reviewer should look at but that do not break answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.knowledge.base import KnowledgeError, Sources, build_snapshot
from bot.knowledge.normalize import surface
from bot.knowledge.render import ANY_PLACEHOLDER, PLACEHOLDER, placeholders
from bot.knowledge.schema import Entry, Problem
from bot.rules.parameters import Parameters, load_parameters

WECHAT_LIMIT_BYTES = 2000
USUAL_ANSWER_CHARS = 300
HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|&[a-zA-Z]+;|&#\d+;")
TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\$\{")
TYPED_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*元")
TYPED_SOURCE = re.compile(r"依据[:：]\s*任务清单")


@dataclass
class Report:
    entries: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _texts(entry: Entry) -> list[tuple[str, str]]:
    return (
        [("question", entry.question)]
        + [("alternative", a) for a in entry.alternatives]
        + [("answer", entry.answer)]
    )


def _entry_problems(entry: Entry, params: Parameters, rendered: str) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    if not entry.needs:
        errors.append("missing field 'needs': 1–3 need ids from taxonomy.yaml saying what the entry answers")
    for kind, text in _texts(entry):
        if HTML.search(text):
            errors.append(f"{kind} contains HTML ({HTML.search(text).group()!r}); write plain text")
        if TEMPLATE.search(text):
            errors.append(f"{kind} contains template syntax ({TEMPLATE.search(text).group()!r})")
    known = set(params.names())
    for name in placeholders(entry.answer):
        if name not in known:
            errors.append(f"answer uses unknown parameter $[{name}]")
    malformed = [
        m.group() for m in ANY_PLACEHOLDER.finditer(entry.answer) if not PLACEHOLDER.fullmatch(m.group())
    ]
    if malformed:
        errors.append(f"malformed placeholder {malformed[0]!r}; write $[name.of.parameter]")
    size = len(rendered.encode("utf-8"))
    if size > WECHAT_LIMIT_BYTES:
        errors.append(f"rendered answer is {size} bytes, over WeChat's {WECHAT_LIMIT_BYTES}; shorten it")
    if len(entry.answer) > USUAL_ANSWER_CHARS:
        warnings.append(f"answer has {len(entry.answer)} characters (aim for ≤ {USUAL_ANSWER_CHARS})")
    if TYPED_AMOUNT.search(PLACEHOLDER.sub("", entry.answer)):
        warnings.append("answer seems to type an amount; use a $[parameter] instead")
    if TYPED_SOURCE.search(entry.answer):
        warnings.append("answer types its own source line; it is added automatically from refs")
    return errors, warnings


def check(
    sources: Sources | None = None,
    parameters: Callable[[], Parameters] = load_parameters,
    today: dt.date | None = None,
) -> Report:
    report = Report()
    try:
        snapshot = build_snapshot(sources or Sources(), parameters)
    except KnowledgeError as exc:
        report.errors.extend(exc.problems)
        return report
    params = parameters()
    day = today or dt.date.today()
    entries = list(snapshot.entries.values())
    report.entries = len(entries)
    seen_surface: dict[str, Entry] = {}
    seen_key: dict[str, Entry] = {}
    for entry in entries:
        errors, warnings = _entry_problems(entry, params, snapshot.renderer.render(entry, day))
        for phrasing in dict.fromkeys(entry.phrasings):
            plain = surface(phrasing)
            other = seen_surface.setdefault(plain, entry)
            if other is not entry:
                errors.append(f"the question {phrasing!r} is also in {other.id} ({other.file}:{other.line})")
                continue
            key = snapshot.normalizer.key(phrasing).text
            twin = seen_key.setdefault(key, entry)
            if twin is not entry:
                warnings.append(f"{phrasing!r} reads the same as a phrasing of {twin.id} after normalisation")
        report.errors.extend(Problem(entry.file, entry.line, entry.id, m) for m in errors)
        report.warnings.extend(Problem(entry.file, entry.line, entry.id, m) for m in warnings)
    return report
