"""Policy rules for what an answer may contain, beyond its format: the content half of `check`.

Why: residents act on what the bot says. A phone number typed into an answer is one nobody can
correct in one place (and a wrong emergency number can cost a life); a figure typed into an answer
is one the yearly revision of parameters.yaml never reaches; "现在是" before a standard turns false
the day the province raises it. Each function returns plain messages for staff.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge.render import PLACEHOLDER, TEL_PREFIX, placeholders
from bot.knowledge.schema import Entry
from bot.knowledge.tasklist import TaskList
from bot.phonebook import PhoneNumber
from bot.rules.parameters import Parameters

# Money, multiples of a standard, ages and the 居住证 period: all are parameters.
TYPED_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:元|块钱|块)|\d+(?:\.\d+)?\s*倍|\d+\s*周?岁|[一二两三四五六七八九十百]+周岁"
    r"|居住证[^，。；\n]{0,6}满[一二两三1-9]年"
)
NOW_WORDS = re.compile(r"(?:现在|目前|现行|当前|今年|眼下)[^。；！？\n]{0,12}$")


@dataclass(frozen=True, slots=True)
class StaleFigure:
    name: str
    effective_from: dt.date
    due: dt.date


def typed_numbers(entry: Entry, numbers: Mapping[str, PhoneNumber]) -> list[str]:
    """Phone-book numbers typed into the answer instead of `$[tel.<id>]`."""
    text = PLACEHOLDER.sub("", entry.answer)
    return [
        f"answer types the phone number {phone.number}; write $[tel.{phone.id}] so it comes from "
        "the phone book (bot/data/*_numbers.yaml)"
        for phone in numbers.values()
        if re.search(rf"(?<!\d){phone.number}(?!\d)", text)
    ]


def unknown_names(entry: Entry, params: Parameters, numbers: Mapping[str, PhoneNumber]) -> list[str]:
    known = set(params.names())
    problems = []
    for name in placeholders(entry.answer):
        if name.startswith(TEL_PREFIX):
            if name.removeprefix(TEL_PREFIX) not in numbers:
                ids = ", ".join(sorted(numbers))
                problems.append(f"answer uses unknown phone number $[{name}] (ids: {ids})")
        elif name not in known:
            problems.append(f"answer uses unknown parameter $[{name}]")
    return problems


def typed_figures(entry: Entry, tasks: TaskList) -> list[str]:
    """Figures typed instead of taken from parameters.yaml; quoting a cited task-list item is fine."""
    quoted = " ".join(item.text for number in entry.refs if (item := tasks.get(number)))
    return [
        f"answer types the figure {match.group()!r}; use a $[parameter] from policy_texts/parameters.yaml"
        for match in TYPED_FIGURE.finditer(PLACEHOLDER.sub("", entry.answer))
        if re.sub(r"\s", "", match.group()) not in quoted
    ]


def now_before_standard(entry: Entry, params: Parameters) -> list[str]:
    """"现在是 $[standard]": a yearly standard must not be called current; the note gives its date."""
    problems = []
    for match in PLACEHOLDER.finditer(entry.answer):
        name = match.group(1)
        if name in params.names() and params.updated_yearly(name) and NOW_WORDS.search(
            entry.answer[: match.start()]
        ):
            problems.append(f"answer calls $[{name}] current (现在/目前/现行); it is revised every year: "
                            "state it without 现在, the note under the answer gives its date")
    return problems


def stale_figures(params: Parameters, names: set[str], on: dt.date) -> list[StaleFigure]:
    """Yearly standards among `names` whose in-force value predates this year's usual revision."""
    found = []
    for name in sorted(names):
        if name in params.names() and params.stale(name, on):
            value, due = params.lookup(name, on), params.revision_due(name, on)
            if value is not None and due is not None:
                found.append(StaleFigure(name, value.effective_from, due))
    return found
