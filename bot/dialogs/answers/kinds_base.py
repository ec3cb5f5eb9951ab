"""What every answer kind is made of: what a reply is read against (`Ask`), what reading it gives
(`Parsed`), and the kind itself (parse, describe, takes a bare number).

Why: the readers (`kinds`) and the descriptions (`kinds_show`) share these; keeping them apart
lets each stay one concern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import clock

DISPLAY_PATH = Path(__file__).with_name("kinds.yaml")


@dataclass(frozen=True)
class Ask:
    """What reading a reply may depend on: the day, the household size, the member asked about."""

    today: date
    size: int = 1
    age: int | None = None  # the member's age (school); the age given (ID number check)
    options: tuple[str, ...] = ()  # numbered options shown with the question
    words: tuple[tuple[str, ...], ...] = ()  # other words for each option
    members: tuple[tuple[int, str, str, int | None], ...] = ()  # (index, relation, word, age) asked about


@dataclass(frozen=True)
class Parsed:
    value: Any
    problem: str | None = None  # an answer of this kind, but unusable: re-ask with this hint
    readback: str | None = None  # why to read it back before relying on it (yearly, per person …)
    unknown: bool = False  # understood: the resident gives no exact value ("快七十了", "记不清")
    part: str | None = None  # of an answer asked together, the part the read-back is about

    @property
    def unsure(self) -> bool:
        """The reader's best guess, not a sure reading: confirmed with the resident before it is kept."""
        return is_unsure(self.readback)


UNSURE = "unsure:"


def unsure(why: str) -> str:
    """The read-back reason of a guess ("unsure:sum", "unsure:relation" …): read back at any step."""
    return UNSURE + why


def is_unsure(readback: str | None) -> bool:
    return readback is not None and readback.startswith(UNSURE)


def guessed(
    reader: Callable[[str], Any], guess: Callable[[str], bool]
) -> Callable[[str, Ask], Parsed | None]:
    """A plain reader whose reading is a guess, read back, when `guess` says so (a sum the bot made)."""

    def read(text: str, ask: Ask) -> Parsed | None:
        value = reader(text)
        return None if value is None else Parsed(value, readback=unsure("sum") if guess(text) else None)

    return read


@cache
def display() -> dict[str, Any]:
    return yaml.safe_load(DISPLAY_PATH.read_text(encoding="utf-8"))


_DONT_KNOW = (
    "晓不得",
    "不晓得",
    "不知道",
    "说不清",
    "不清楚",
    "记不得",
    "记不清",
    "不方便说",
    "不想说",
    "不想讲",
    "不好说",
    "搞不清",
    "不懂",
    "不说了",
)


def dont_know(text: str) -> bool:
    from bot.dialogs.answers.pinyin import heard

    reply = heard(text)
    return any(w in reply for w in _DONT_KNOW)


_ASKS_IF = ("算不算", "是不是", "有没有", "够不够", "属不属于", "行不行")
# Not knowing how to put it, or one detail, then the answer: "不晓得咋个说 就是在羊街那边的村子",
# "晓不得读几年级了 反正在读小学" (反正: "anyway", what is known follows).
_HOW_TO_SAY = re.compile(r"^(?:咋个|怎么|咋|怎样|如何)(?:说|讲|讲法|说法|算)|反正|总之")


def _unknown_first(text: str) -> bool:
    """A reply that starts by saying it does not know and gives no figure after."""
    from bot.dialogs.answers.vocabulary import said, starts_with

    reply = said(text)
    word = starts_with(reply, "unknown")
    rest = reply[len(word) :] if word else ""
    return (
        word is not None
        and not rest.startswith(_ASKS_IF)  # "晓不得算不算 …": then the fact
        and not _HOW_TO_SAY.search(rest)
        and not re.search(r"[\d一二两三四五六七八九十百千万]", rest)
    )


def yn(value: bool) -> str:
    return "yes" if value else "no"


def figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 10000 else f"{value:g}"


@dataclass(frozen=True)
class Kind:
    name: str
    read: Callable[[str, Ask], Parsed | None]
    show: Callable[[Any, Ask], str]
    takes_number: bool = False

    def parse(self, text: str, ask: Ask) -> Parsed | None:
        """The reply read; one that corrects itself ("八百 不对不对 是六百", "好像是二级 不对 …
        是一级") by what follows the correction. A household is read whole: a correction inside it
        names one member ("说成四个了 漏了奶奶")."""
        from bot.dialogs.answers.money import figure_fixed
        from bot.dialogs.answers.vocabulary import correction

        rest = None if self.name == "members" else correction(text)
        if rest is not None:  # "老婆一千二 我两千五 不对 两千三": only the last figure corrected
            rest = figure_fixed(text, rest) or rest
        if rest is not None:
            fixed = self.read(rest, ask)
            if fixed is not None and fixed.problem is None and (fixed.value is not None or fixed.unknown):
                return fixed
        parsed = self.read(text, ask)
        if parsed is not None and not parsed.unknown and _unknown_first(text):
            return Parsed(None, unknown=True)  # "记不得了 好像有点 好像又莫得": not a value to keep
        if parsed is None and dont_know(text):  # "晓不得 钱都是老倌管": understood as not known
            return Parsed(None, unknown=True)
        return parsed

    def describe(self, value: Any, ask: Ask | None = None) -> str:
        if value is None:
            return str(display()["unknown"])
        return self.show(value, ask or Ask(clock.today()))
