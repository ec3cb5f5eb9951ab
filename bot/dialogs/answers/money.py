"""Amounts of money in a sentence, as a careful listener hears them.

Why: residents do not answer "how much a month" with one number. They say "三四百" (a range),
"一年一万二" (a year), "两口子加起来六千左右" (a total, where 两 counts people, not yuan), "卖七百
剩三百" (what is kept), "甘蔗卖两万 化肥去掉八千" (a cost to take off), "打工两千 老伴养老金一百多"
(two sources, one of which 低保 does not count). `read_amount` turns such a reply into an interval
for the period asked, and says what it left out and whether it is an approximation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs.answers.numbers import Number, find_numbers
from bot.dialogs.answers.vocabulary import correction, said, starts_with
from bot.text import fold

AMOUNTS_PATH = Path(__file__).with_name("amounts.yaml")
_LONG_DIGITS = re.compile(r"\d{13,}")
_MONEY_UNIT = ("块钱", "元钱", "块", "元", "米")  # 米: Yunnan slang for 元 ("三百米")
_MONTHS = re.compile(r"([一二两三四五六七八九十\d]+)个?月$")
_FACTOR = {"month": Decimal(1), "year": Decimal(1) / 12, "day": Decimal(30)}


class Problem(StrEnum):
    TOO_LONG = "too_long"  # a digit string no amount has (a pasted ID or phone number)


@dataclass(frozen=True)
class Amount:
    low: float
    high: float
    approx: bool = False
    excluded: tuple[str, ...] = ()  # kinds of money heard but not counted (低保金, 养老金 …)
    notes: tuple[str, ...] = ()     # "per_person", "daily", "yearly", "total"

    @property
    def point(self) -> float:
        return round((self.low + self.high) / 2, 2)

    def to_json(self) -> list[float]:
        return [self.low, self.high]


@cache
def amount_words() -> dict[str, Any]:
    raw = yaml.safe_load(AMOUNTS_PATH.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, dict):
            out[name] = {k: tuple(sorted((fold(w) for w in v), key=len, reverse=True)) for k, v in value.items()}
        else:
            out[name] = tuple(sorted((fold(str(w)) for w in value), key=len, reverse=True))
    return out


@dataclass
class _Heard:
    number: Number
    before: str  # the clause text before the number
    after: str
    period: str | None = None
    months: Decimal = Decimal(1)
    tags: set[str] = field(default_factory=set)
    excluded: str | None = None


def _mask(text: str) -> str:
    for word in amount_words()["not_numbers"]:
        text = text.replace(word, "＿" * len(word))
    return text


def _is_money(heard: _Heard) -> bool:
    after = heard.after
    if after.startswith(_MONEY_UNIT):
        return not any(after.startswith(w) for w in amount_words()["not_money"]["things"] if w.startswith("块"))
    return not any(after.startswith(word) for kind in amount_words()["not_money"].values() for word in kind)


def _ends_with(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if text.endswith(w)), None)


def _tag(heard: _Heard, previous_period: str | None, default: str) -> None:
    words, before = amount_words(), heard.before
    tail = before[-4:]
    for name in ("about", "under", "near", "over", "at_most", "at_least"):
        if any(w in tail for w in words[name]) or (name in ("about", "over") and any(
                heard.after.lstrip("块元钱米").startswith(w) for w in words[name])):
            heard.tags.add(name)
    for name in ("total", "net", "cost"):
        if any(w in before for w in words[name]):
            heard.tags.add(name)
    if any(w in before and not before.split(w)[-1].startswith("月") for w in words["per_person"]):
        heard.tags.add("per_person")
    for kind, kind_words in words["not_counted"].items():
        if any(w in before for w in kind_words) and not any(w in before for w in words["counted"]):
            heard.excluded = kind
    heard.period = _period(before, heard.after) or previous_period or default
    months = _MONTHS.search(before.rstrip("挣赚卖得了就才有"))
    if months and not months.group(1) in ("一", "1"):
        numbers = find_numbers(months.group(1))
        heard.months = numbers[0].low if numbers else Decimal(1)


def _period(before: str, after: str) -> str | None:
    best, best_at = None, -1
    for name, words in amount_words()["periods"].items():
        for word in words:
            at = before.rfind(word)
            if at > best_at:
                best, best_at = name, at
    if best is not None:
        return best
    rest = after.lstrip("块元钱米多来左右")
    return next((n for n, ws in amount_words()["periods"].items() if any(rest.startswith(w) for w in ws)), None)


def _widened(heard: _Heard) -> tuple[Decimal, Decimal, bool]:
    low, high, approx = heard.number.low, heard.number.high, heard.number.approx
    tags = heard.tags
    if "under" in tags:
        return low * Decimal("0.8"), low, True
    if "near" in tags:
        return low * Decimal("0.9"), low, True
    if "at_most" in tags:
        return low * Decimal("0.7"), low, True
    if "at_least" in tags:
        return low, high * Decimal("1.3"), True
    if "over" in tags:
        return low, high * Decimal("1.1"), True
    if "about" in tags and low == high:
        return low * Decimal("0.9"), high * Decimal("1.1"), True
    return low, high, approx


def _hear(text: str, default: str) -> list[_Heard]:
    masked = _mask(text)
    heard: list[_Heard] = []
    last_end = 0
    for number in find_numbers(masked):
        item = _Heard(number, masked[last_end:number.start], masked[number.end:number.end + 4])
        last_end = number.end
        if _is_money(item):
            _tag(item, heard[-1].period if heard else None, default)
            heard.append(item)
    return heard


def read_amount(text: str, period: str = "month", size: int | None = None) -> Amount | Problem | None:
    """The amount a reply gives for `period` ("month", "year" or "total"), or None if it gives none.

    `size` is the household size, for amounts said per person.
    """
    fixed = correction(text)
    if fixed is not None:
        text = fixed
    folded = fold(text)
    if _LONG_DIGITS.search(re.sub(r"[\s\-]", "", folded)):
        return Problem.TOO_LONG
    words = amount_words()
    reply = said(text)
    if reply in words["zero"]:
        return Amount(0, 0)
    default = "month" if period == "total" else period
    heard = _hear(folded, default)
    if not heard:
        if any(w in reply for w in words["zero_phrases"]) or starts_with(reply, "no"):
            return Amount(0, 0)
        return None
    return _combine(heard, period, size)


def _combine(heard: list[_Heard], period: str, size: int | None) -> Amount:
    totals = [h for h in heard if "total" in h.tags and h.excluded is None]
    if totals:
        heard = [totals[-1]]
    kept: list[_Heard] = []
    for item in heard:
        if "net" in item.tags and kept and "net" not in kept[-1].tags and "cost" not in kept[-1].tags:
            kept.pop()  # "卖七百 剩三百": the gross figure gives way to what is kept
        kept.append(item)
    low = high = Decimal(0)
    approx, notes, excluded = False, set(), []
    for item in kept:
        if item.excluded is not None:
            excluded.append(item.excluded)
            continue
        a, b, rough = _widened(item)
        factor = Decimal(1) if period == "total" else _FACTOR[item.period or "month"] / item.months
        if period == "year":
            factor = factor * 12
        if "per_person" in item.tags and size:
            factor, notes = factor * size, notes | {"per_person"}
        if item.period in ("year", "day") and period != "total":
            notes.add("yearly" if item.period == "year" else "daily")
        sign = -1 if "cost" in item.tags and (low or high) else 1
        low, high = low + sign * a * factor, high + sign * b * factor
        approx = approx or rough
    if "total" in {t for item in kept for t in item.tags}:
        notes.add("total")
    low, high = max(low, Decimal(0)), max(high, Decimal(0))
    return Amount(_round(min(low, high)), _round(max(low, high)), approx, tuple(excluded), tuple(sorted(notes)))


def _round(value: Decimal) -> float:
    return float(round(value, 2))
