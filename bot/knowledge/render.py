"""Turn an FAQ entry into the text a resident receives.

Answers never type amounts or phone numbers: `$[dibao.urban_monthly]` is replaced by the county
value in force on the day of the answer plus its unit, `$[tel.ambulance]` by the number in the
phone book (bot/phonebook.py). A note follows the figures: the date a yearly standard took effect,
"以县民政局公布为准" while a figure is unverified, and — once the usual yearly revision has passed
without a newer figure — that the figure may have changed and where to ask. The source line names
the task-list items of `refs` with their lead units and the other sources of `sources`
(policy_texts/sources.yaml). The Chinese wording of these additions lives in wording.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from bot.knowledge.schema import Entry
from bot.knowledge.sources import Source
from bot.knowledge.tasklist import TaskList
from bot.phonebook import PhoneNumber
from bot.rules.parameters import Parameters, ParamValue

DEFAULT_WORDING = Path(__file__).resolve().parent / "wording.yaml"
PLACEHOLDER = re.compile(r"\$\[([A-Za-z0-9_.]+)\]")
ANY_PLACEHOLDER = re.compile(r"\$\[[^\]]*\]?")
TEL_PREFIX = "tel."


@dataclass(frozen=True, slots=True)
class Wording:
    source_line: str
    task_sources: str
    source_group: str
    number_separator: str
    group_separator: str
    part_separator: str
    parameter_unknown: str
    number_unknown: str
    parameter_note: str
    parameter_note_unverified: str
    parameter_note_stale: str
    rule_note_unverified: str
    date_format: str
    date_separator: str


_WORDING_FIELDS = tuple(f.name for f in fields(Wording))


def load_wording(path: Path = DEFAULT_WORDING) -> Wording:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [f for f in _WORDING_FIELDS if not isinstance(data.get(f), str)]
    if missing:
        raise ValueError(f"{path.name}: missing or non-text fields: {', '.join(missing)}")
    return Wording(**{f: data[f] for f in _WORDING_FIELDS})


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class Renderer:
    def __init__(
        self,
        tasks: TaskList,
        wording: Wording,
        parameters: Callable[[], Parameters],
        sources: Mapping[str, Source] | None = None,
        numbers: Mapping[str, PhoneNumber] | None = None,
    ) -> None:
        self._tasks = tasks
        self._wording = wording
        self._parameters = parameters
        self._sources = sources or {}
        self._numbers = numbers or {}

    def source_line(self, refs: tuple[int, ...], sources: tuple[str, ...] = ()) -> str:
        w = self._wording
        groups: dict[str, list[int]] = {}
        for number in refs:
            item = self._tasks.get(number)
            if item is not None:
                groups.setdefault(item.lead_unit, []).append(number)
        parts = []
        if groups:
            task_groups = [
                w.source_group.format(numbers=w.number_separator.join(map(str, numbers)), lead_unit=unit)
                for unit, numbers in groups.items()
            ]
            parts.append(w.task_sources.format(groups=w.group_separator.join(task_groups)))
        parts.extend(self._sources[s].cite for s in sources if s in self._sources)
        return w.source_line.format(parts=w.part_separator.join(parts))

    def _date(self, day: dt.date) -> str:
        return self._wording.date_format.format(year=day.year, month=day.month, day=day.day)

    def fill(self, text: str, on: dt.date) -> str:
        """Replace placeholders and append the note on the figures used (no source line)."""
        params = self._parameters()
        used: list[ParamValue] = []

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith(TEL_PREFIX):
                phone = self._numbers.get(name.removeprefix(TEL_PREFIX))
                return phone.number if phone else self._wording.number_unknown
            try:
                value = params.lookup(name, on=on, scope="county")
            except KeyError:
                value = None
            if value is None or value.value is None:
                return self._wording.parameter_unknown
            used.append(value)
            return _number(value.value) + value.unit.split("(")[0]

        filled = PLACEHOLDER.sub(replace, text).rstrip()
        note = self._note(params, used, on)
        return f"{filled}\n{note}" if note else filled

    def _note(self, params: Parameters, used: list[ParamValue], on: dt.date) -> str:
        w = self._wording
        yearly = [v for v in used if params.updated_yearly(v.name)]
        dates = w.date_separator.join(self._date(d) for d in sorted({v.effective_from for v in yearly}))
        stale = [v for v in yearly if params.stale(v.name, on)]
        if stale:
            month, day = params.updated_yearly(stale[0].name) or (0, 0)
            return w.parameter_note_stale.format(dates=dates, month=month, day=day)
        unverified = any(not v.verified for v in used)
        if yearly:
            return (w.parameter_note_unverified if unverified else w.parameter_note).format(dates=dates)
        return w.rule_note_unverified if unverified else ""

    def render(self, entry: Entry, on: dt.date) -> str:
        return f"{self.fill(entry.answer, on)}\n{self.source_line(entry.refs, entry.sources)}"
