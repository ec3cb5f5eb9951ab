"""How the amounts heard in a reply make one amount for the period asked.

Why: "甘蔗卖两万 化肥去掉八千" is takings less a cost, "卖七百 剩三百" what is kept, "一天七十 一个月
做二十天" days worked, "每人三百" per person, "一个月自己出一千 住了四个月" a total over months, and
"本钱去了一半" a share of costs; approximations widen the interval a little either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.dialogs.answers.money_neighbours import sent_from, varying
from bot.dialogs.answers.money_words import Heard, amount_words, has_word
from bot.dialogs.answers.numbers import find_numbers

_PER = {"month": Decimal(1), "year": Decimal(1) / 12}
DAYS_IN_MONTH = Decimal(30)


@dataclass(frozen=True)
class Amount:
    low: float
    high: float
    approx: bool = False
    excluded: tuple[str, ...] = ()  # kinds of money heard but not counted (低保金, 养老金 …)
    notes: tuple[str, ...] = ()  # "per_person", "daily", "yearly"

    @property
    def point(self) -> float:
        return round((self.low + self.high) / 2, 2)

    def to_json(self) -> list[float]:
        return [self.low, self.high]

    def stored(self, excluded: bool = True) -> dict[str, Any]:
        """The answer as the questionnaire keeps it; `excluded=False` where the kinds of money not
        counted mean nothing (savings, costs)."""
        return {"low": self.low, "high": self.high, "excluded": list(self.excluded) if excluded else [],
                "approx": self.approx}


def _days(text: str) -> tuple[Decimal, Decimal] | None:
    """Days worked a month ("一个月做得二十来天", "一个月三十天都跑")."""
    for number in find_numbers(text):
        after = text[number.end : number.end + 3]
        if after.lstrip("来多几").startswith("天") and "月" in text[max(0, number.start - 6) : number.start]:
            if after.startswith("来"):
                return number.low * Decimal("0.9"), number.high * Decimal("1.1")
            return number.low, number.high
    return None


def _people(text: str) -> Decimal | None:
    """A count of people said in the reply, for amounts given per person."""
    if "两口子" in text or "老两口" in text:
        return Decimal(2)
    for number in find_numbers(text):
        after = text[number.end : number.end + 3]
        if (
            any(after.startswith(w) for w in amount_words()["people_counts"])
            and not after.startswith(("个月", "个星期", "个钟"))
            and number.low == number.high
            and 1 < number.low <= 12
        ):
            return number.low
    return None


def _months_counted(text: str) -> tuple[Decimal, Decimal] | None:
    """Months a monthly amount has run ("住了四个月"), for a total: never 一个月."""
    for number in find_numbers(text):
        if text[number.end : number.end + 2] in ("个月", "月了") and number.text != "一" and number.low > 1:
            return number.low, number.high
    return None


_MONTHS_A_YEAR = re.compile(r"一年\S{0,4}?([一二两三四五六七八九十\d]+)个月")


def _months_a_year(text: str) -> Decimal | None:
    """Months of the year a monthly wage is paid ("学校给八百 … 一年做十个月"), when fewer than 12."""
    match = _MONTHS_A_YEAR.search(text)
    found = find_numbers(match.group(1)) if match else []
    return found[0].low if found and 0 < found[0].low < 12 and found[0].low == found[0].high else None


def _share_left(text: str) -> Decimal:
    """What is left when the reply says a share of the takings goes on costs ("本钱去了一半")."""
    for share, left in (("一大半", Decimal("0.4")), ("一半", Decimal("0.5")), ("大半", Decimal("0.4"))):
        at = text.find(share)
        if at > 0 and has_word(text[max(0, at - 8) : at], "cost"):
            return left
    return Decimal(1)


def _widened(item: Heard) -> tuple[Decimal, Decimal, bool]:
    low, high, tags = item.low, item.high, item.tags
    if "bit_over" in tags:
        return low, low * Decimal("1.15"), True
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
    return low, high, item.approx


# Before an amount: it is one person's of several ("一个一百三 一个一百四", "一人三百").
_EACH = re.compile(r"(?:^|[\s，,])(?:\S{0,4}?)(?:一个|一人|一个人|另一个|另外一个)\s*$")


def combine(heard: list[Heard], text: str, period: str, size: int | None) -> Amount:
    if any("varies" in h.tags for h in heard) and len(heard) > 1:
        heard = varying(heard)
    each = [h for h in heard if _EACH.search(h.before)]
    if len(each) > 1:  # "一个一百三 一个一百四": one person's, then the other's (added, and read back)
        for item in each:
            item.tags = item.tags | {"source"}
    kept: list[Heard] = []
    for index, item in enumerate(heard):
        if index and "cost" in heard[index - 1].tags and _REMAINS.search(item.before):
            item.tags = (item.tags - {"source", "cost"}) | {"net"}  # "扣掉进货一千 还有两千": what is left
        if kept and _bound_of(kept[-1], item):
            continue  # "七八百块钱 不到一千": the figure, then a bound it keeps to
        if kept and sent_from(kept[-1], item):
            kept.pop()  # "打工一个月三千 寄回来两千": what reaches the household is what is sent
        if _total_of(kept, item):
            kept = [h for h in kept if h.excluded is not None]  # "我八百 加上老伴的三百 一千一": the
            # parts, then the sum said aloud
        elif (
            kept
            and not ({"source", "cost", "net", "final"} & item.tags)
            and item.excluded == kept[-1].excluded
            and item.period == kept[-1].period
        ):
            kept.pop()  # said again: "一千 一千二 一千二左右"
        elif (
            kept
            and kept[-1].approx
            and kept[-1].period == item.period
            and kept[-1].low <= item.low <= item.high <= kept[-1].high
            and (item.low, item.high) != (kept[-1].low, kept[-1].high)
            and not ({"cost", "net"} & (item.tags | kept[-1].tags))
        ):
            kept.pop()  # "好几千 … 四五千吧": a rough amount, then said more exactly
        elif "net" in item.tags:
            while (
                kept
                and "net" not in kept[-1].tags
                and kept[-1].excluded is None
                and (kept[-1].period == item.period or period == "total")
            ):
                kept.pop()  # "卖七百 剩三百": the takings give way to what is kept (not a month's wage
                # said before a year's harvest)
        kept.append(item)
    people = _people(text)
    if people is not None:
        for item in [h for h in kept if "per_person" in h.tags]:
            if any((h.low, h.high) == (item.low * people, item.high * people) for h in kept if h is not item):
                kept.remove(item)  # "有四千 是我们两个人的 一人两千": the total, then its shares
    finals = [h for h in kept if "final" in h.tags and h.excluded is None]
    parts = [h for h in kept if h not in finals]
    total = _sum(parts, text, period, size) if parts else None
    if finals:
        final = _sum(finals[-1:], text, period, size)
        if total is not None and total.low <= final.high and final.low <= total.high and parts:
            return Amount(max(total.low, final.low), min(total.high, final.high), True, total.excluded,
                          total.notes)
        disagree = ("disagree",) if total is not None and _counted(parts) else ()
        return Amount(final.low, final.high, final.approx, total.excluded if total else (),
                      (*final.notes, *disagree))
    assert total is not None
    takings_less_costs = "cost" not in parts[0].tags and any({"cost", "net"} & h.tags for h in parts[1:])
    if _counted(parts) > 1 and not takings_less_costs:  # added up: "两万多 … 还有两万多" may be one sum
        return Amount(total.low, total.high, total.approx, total.excluded, (*total.notes, "sum"))
    return total


_REMAINS = re.compile(r"还有\S?$|还剩\S?$")


def _bound_of(last: Heard, item: Heard) -> bool:
    """Whether `item` ("不到一千") only bounds the figure said just before it."""
    if "under" not in item.tags or {"cost", "net"} & (last.tags | item.tags):
        return False
    return last.period == item.period and item.low / 2 <= last.high <= item.low


def _total_of(kept: list[Heard], item: Heard) -> bool:
    """Whether `item`, said with no source of its own, is the sum of two or more amounts before it,
    a cost after the first taken off ("花了四万 报了两万八 自己出了一万二")."""
    parts = [h for h in kept if h.excluded is None]
    if len(parts) < 2 or {"source", "cost", "net"} & item.tags or item.excluded is not None:
        return False
    if any(h.period != item.period or {"net", "per_person"} & h.tags for h in parts):
        return False
    signs = [1] + [-1 if "cost" in h.tags else 1 for h in parts[1:]]
    low = sum(sign * (h.low if sign > 0 else h.high) for sign, h in zip(signs, parts, strict=True))
    high = sum(sign * (h.high if sign > 0 else h.low) for sign, h in zip(signs, parts, strict=True))
    return bool(low <= item.high and item.low <= high)


def _counted(items: list[Heard]) -> int:
    """How many of the amounts heard are counted (not money 低保 leaves out)."""
    return sum(h.excluded is None for h in items)


def _sum(items: list[Heard], text: str, period: str, size: int | None) -> Amount:
    low = high = Decimal(0)
    approx, notes, excluded = False, set[str](), list[str]()
    days = _days(text)
    for item in items:
        if item.excluded is not None:
            excluded.append(item.excluded)
            continue
        a, b, rough = _widened(item)
        a, b = a * item.times[0], b * item.times[1]
        factor = item.factor
        months = _months_counted(text) if period == "total" and item.period == "month" else None
        if months is not None:
            a, b = a * months[0], b * months[1]
        if item.period == "day":
            first, last = days or (DAYS_IN_MONTH, DAYS_IN_MONTH)
            a, b, notes = a * first, b * last, notes | ({"daily"} if days is None else set())
        elif period != "total":
            factor *= _PER[item.period]
            paid = _months_a_year(text) if item.period == "month" else None
            if paid is not None:
                factor, notes = factor * paid / 12, notes | {"yearly"}
        if period == "year":
            factor *= 12
        if item.period == "year" and period == "month":
            notes.add("yearly")
        if "per_person" in item.tags:
            people = _people(text) or (Decimal(size) if size else None)
            if people is not None:
                factor *= people
            notes.add("per_person") if _people(text) is None else None
        sign = -1 if "cost" in item.tags and (low or high) else 1
        low, high = low + sign * a * factor, high + sign * b * factor
        approx = approx or rough
    if period == "month" and low != high:
        low, high = (
            low.to_integral_value(rounding="ROUND_FLOOR"),
            high.to_integral_value(rounding="ROUND_CEILING"),
        )
    left = _share_left(text)
    low, high = max(low * left, Decimal(0)), max(high * left, Decimal(0))
    return Amount(
        _round(min(low, high)), _round(max(low, high)), approx, tuple(excluded), tuple(sorted(notes))
    )


def _round(value: Decimal) -> float:
    return float(round(value, 2))
