"""`python -m bot.knowledge check`: everything that can be wrong in the knowledge files, in one report.

CI runs it, and staff run it after an edit. Errors stop CI (and a hot reload refuses files with
load errors); warnings point at things a reviewer should look at but that do not break answers.
The policy rules on content (typed numbers and figures, citations, stale standards) are in
`content.py` and `sources.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot import clock
from bot.knowledge import content
from bot.knowledge.normalize import surface
from bot.knowledge.render import ANY_PLACEHOLDER, PLACEHOLDER, placeholders
from bot.knowledge.schema import Entry, Problem
from bot.knowledge.snapshot import KnowledgeError, Snapshot, Sources, build_snapshot
from bot.knowledge.sources import citation_problems
from bot.knowledge.tasklist import TaskList, read_task_list
from bot.phonebook import PhoneNumber, read_numbers
from bot.rules.parameters import Parameters, load_parameters

WECHAT_LIMIT_BYTES = 2000
USUAL_ANSWER_CHARS = 300
HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|&[a-zA-Z]+;|&#\d+;")
TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\$\{")
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


def _entry_problems(
    entry: Entry, params: Parameters, snapshot: Snapshot, rendered: str, context: _Context
) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    if not entry.needs:
        errors.append("missing field 'needs': 1–3 need ids from taxonomy.yaml saying what the entry answers")
    for kind, text in _texts(entry):
        if html := HTML.search(text):
            errors.append(f"{kind} contains HTML ({html.group()!r}); write plain text")
        if template := TEMPLATE.search(text):
            errors.append(f"{kind} contains template syntax ({template.group()!r})")
    errors += content.unknown_names(entry, params, context.numbers)
    errors += content.typed_numbers(entry, context.numbers)
    errors += content.typed_figures(entry, context.tasks)
    errors += content.now_before_standard(entry, params)
    errors += citation_problems(entry, snapshot.claims)
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
    if TYPED_SOURCE.search(entry.answer):
        warnings.append("answer types its own source line; it is added automatically from refs")
    return errors, warnings


@dataclass(frozen=True)
class _Context:
    tasks: TaskList
    numbers: dict[str, PhoneNumber]


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
    day = today or clock.today()
    sources = sources or Sources()
    context = _Context(read_task_list(sources.tasks), read_numbers(sources.numbers))
    entries = list(snapshot.entries.values())
    report.entries = len(entries)
    used = {name for entry in entries for name in placeholders(entry.answer)}
    for figure in content.stale_figures(params, used, day):
        report.warnings.append(Problem(
            "policy_texts/parameters.yaml", 0, figure.name,
            f"the newest value took effect {figure.effective_from}, before this year's usual revision "
            f"({figure.due}); answers now say the figure may have changed. Enter the new figure "
            "(policy_texts/PARAMETERS.md)",
        ))
    seen_surface: dict[str, Entry] = {}
    seen_key: dict[str, Entry] = {}
    for entry in entries:
        rendered = snapshot.renderer.render(entry, day)
        errors, warnings = _entry_problems(entry, params, snapshot, rendered, context)
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
