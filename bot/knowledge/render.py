"""Turn an FAQ entry into the text a resident receives.

Answers never type amounts: `$[dibao.urban_monthly]` is replaced by the county value in force on
the day of the answer plus its unit, a note gives the effective date (and "以县民政局公布为准" while
the county value is unverified), and a source line is built from the entry's refs and the task
list's lead units. The Chinese wording of those additions lives in wording.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.schema import Entry
from bot.knowledge.tasklist import TaskList
from bot.rules.parameters import Parameters, ParamValue

DEFAULT_WORDING = Path(__file__).resolve().parent / "wording.yaml"
PLACEHOLDER = re.compile(r"\$\[([A-Za-z0-9_.]+)\]")
ANY_PLACEHOLDER = re.compile(r"\$\[[^\]]*\]?")
_WORDING_FIELDS = (
    "source_line",
    "source_group",
    "number_separator",
    "group_separator",
    "parameter_unknown",
    "parameter_note",
    "parameter_note_unverified",
    "date_format",
    "date_separator",
)


@dataclass(frozen=True, slots=True)
class Wording:
    source_line: str
    source_group: str
    number_separator: str
    group_separator: str
    parameter_unknown: str
    parameter_note: str
    parameter_note_unverified: str
    date_format: str
    date_separator: str


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
    def __init__(self, tasks: TaskList, wording: Wording, parameters: Callable[[], Parameters]) -> None:
        self._tasks = tasks
        self._wording = wording
        self._parameters = parameters

    def source_line(self, refs: tuple[int, ...]) -> str:
        w = self._wording
        groups: dict[str, list[int]] = {}
        for number in refs:
            item = self._tasks.get(number)
            if item is not None:
                groups.setdefault(item.lead_unit, []).append(number)
        parts = [
            w.source_group.format(numbers=w.number_separator.join(map(str, numbers)), lead_unit=unit)
            for unit, numbers in groups.items()
        ]
        return w.source_line.format(groups=w.group_separator.join(parts))

    def _date(self, day: dt.date) -> str:
        return self._wording.date_format.format(year=day.year, month=day.month, day=day.day)

    def fill(self, text: str, on: dt.date) -> str:
        """Replace placeholders and append the effective-date note (no source line)."""
        params = self._parameters()
        used: list[ParamValue] = []

        def replace(match: re.Match[str]) -> str:
            try:
                value = params.lookup(match.group(1), on=on, scope="county")
            except KeyError:
                value = None
            if value is None or value.value is None:
                return self._wording.parameter_unknown
            used.append(value)
            return _number(value.value) + value.unit.split("(")[0]

        filled = PLACEHOLDER.sub(replace, text).rstrip()
        if not used:
            return filled
        dates = sorted({v.effective_from for v in used})
        template = (
            self._wording.parameter_note
            if all(v.verified for v in used)
            else self._wording.parameter_note_unverified
        )
        note = template.format(dates=self._wording.date_separator.join(self._date(d) for d in dates))
        return f"{filled}\n{note}"

    def render(self, entry: Entry, on: dt.date) -> str:
        return f"{self.fill(entry.answer, on)}\n{self.source_line(entry.refs)}"
