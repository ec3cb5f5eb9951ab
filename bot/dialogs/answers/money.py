"""Amounts of money in a sentence, as a careful listener hears them.

Why: residents do not answer "how much a month" with one number. They say "三四百" (a range),
"一年一万二" (a year), "两口子加起来六千左右" (a total, where 两 counts people, not yuan), "卖七百
剩三百" (what is kept), "甘蔗卖两万 化肥去掉八千" (a cost to take off), "一天七十 一个月做二十天"
(days worked), "打工两千 老伴养老金一百多" (two sources, one of which 低保 does not count), and
voice input repeats itself ("一千 一千二 一千二左右" is one figure). `read_amount` turns such a
reply into an interval for the period asked and says what it left out.
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

from bot.dialogs.answers.numbers import Number, find_numbers, mend
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import correction, said, starts_with
from bot.text import fold

AMOUNTS_PATH = Path(__file__).with_name("amounts.yaml")
_LONG_DIGITS = re.compile(r"\d{13,}")
_SPACED_DIGITS = re.compile(r"(?<=\d)[ ,](?=\d)")
_MONEY_UNIT = ("块钱", "元钱", "块", "元", "米")  # 米: slang for 元 ("三百米")
_MONTHS = re.compile(r"([一二两三四五六七八九十\d]+)个?月$")
_PER = {"month": Decimal(1), "year": Decimal(1) / 12}
DAYS_IN_MONTH = Decimal(30)


# No amount, and said there is none: "存款莫得了", "哪里有存款", "今年没去过医院", "花光了".
_NOTHING = r"莫得|没得|没有|没去|没看|哪里有|花光|用光|用完|掏空|一分都|一分也|冇得"


class Problem(StrEnum):
    TOO_LONG = "too_long"  # a digit string no amount has (a pasted ID or phone number)


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


@cache
def amount_words() -> dict[str, Any]:
    raw = yaml.safe_load(AMOUNTS_PATH.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, dict):
            out[name] = {
                k: tuple(sorted((fold(w) for w in v), key=len, reverse=True)) for k, v in value.items()
            }
        else:
            out[name] = tuple(sorted((fold(str(w)) for w in value), key=len, reverse=True))
    return out


@dataclass
class _Heard:
    low: Decimal
    high: Decimal
    start: int
    end: int
    before: str
    period: str = "month"
    factor: Decimal = Decimal(1)
    tags: set[str] = field(default_factory=set)
    excluded: str | None = None
    approx: bool = False


def _has(text: str, name: str) -> bool:
    return any(w in text for w in amount_words()[name])


def _last(text: str, name: str) -> int:
    return max((text.rfind(w) for w in amount_words()[name]), default=-1)


def prepare(text: str) -> str:
    """Folded (pinyin read as characters), numerals mended, digits split by spaces joined."""
    return _SPACED_DIGITS.sub("", mend(heard(text)))


def mask_words(text: str) -> str:
    """Words with a numeral inside that are not numbers ("一起", "老二") blanked out, same length."""
    for word in amount_words()["not_numbers"]:
        text = text.replace(word, "＿" * len(word))
    return text


_HARVEST = (
    "甘蔗",
    "芒果",
    "烤烟",
    "烟叶",
    "茶叶",
    "核桃",
    "苞谷",
    "稻谷",
    "香蕉",
    "荔枝",
    "咖啡",
    "橡胶",
    "出栏",
)


def _is_money(number: Number, text: str) -> bool:
    after = text[number.end : number.end + 4].lstrip("多来左右")
    before = text[max(0, number.start - 4) : number.start]
    if number.text == "一" and not after.startswith(_MONEY_UNIT):
        return False  # 一共, 一直, 一下: not an amount
    if number.high < 120 and (
        (
            re.search(r"(?:今年|都|已经|快|年纪|岁数)$", before)
            and after.startswith(("了", "岁", "多了", "几了"))
        )
        or after.startswith("岁")
    ):
        return False  # 今年八十二了, 两口子都六十几了: ages
    if after.startswith(_MONEY_UNIT):
        return not after.startswith(("块地", "块田"))
    not_money = amount_words()["not_money"]
    return not any(after.startswith(w) for kind in not_money.values() for w in kind)


def _period(prefix: str, after: str) -> str | None:
    rest = after.lstrip("把块元钱米多来左右")
    for name, words in amount_words()["periods"].items():
        if any(rest.startswith(w) for w in words):
            return name
    best, best_at = None, -1
    for name, words in amount_words()["periods"].items():
        for word in words:
            at = prefix.rfind(word)
            if at > best_at:
                best, best_at = name, at
    return best


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
            and number.low == number.high
            and 1 < number.low <= 12
        ):
            return number.low
    return None


def _hear(text: str, default: str) -> list[_Heard]:
    masked = mask_words(text)
    heard: list[_Heard] = []
    last_end = 0
    for number in find_numbers(masked):
        if not _is_money(number, masked):
            continue
        before = masked[last_end : number.start]
        item = _Heard(number.low, number.high, number.start, number.end, before, approx=number.approx)
        said = _period(text[: number.start], text[number.end : number.end + 6])
        item.period = said or ("year" if "卖" in before and any(w in before for w in _HARVEST) else default)
        _tag(item, masked)
        if said is None and "cost" in item.tags and heard:  # a cost is for the same time as the takings
            item.period = heard[-1].period
        heard.append(item)
        last_end = number.end
    return _ranges(heard, masked)


def _tag(item: _Heard, text: str) -> None:
    words, before = amount_words(), item.before
    tail = before[-4:]
    after = text[item.end : item.end + 4].lstrip("块元钱米")
    for name in ("under", "near", "at_most", "at_least"):
        if any(w in tail for w in words[name]):
            item.tags.add(name)
    if any(w in tail for w in words["about"]) or any(after.startswith(w) for w in words["about"]):
        item.tags.add("about")
    if any(after.startswith(w) for w in words["over"]):
        item.tags.add("over")
    if any(after.startswith(w) for w in ("不到", "不足")):
        item.tags.add("under")
    for name in ("net", "final", "varies"):
        if _has(before, name):
            item.tags.add(name)
    deduct, cost = _last(before, "deduct"), _last(before, "cost")
    if deduct >= 0 and cost > deduct and not _has(before[cost:], "deduct"):
        item.tags.add("net")  # 扣掉成本 差不多一万二: what is left
    elif deduct >= 0 or cost >= 0:
        item.tags.add("cost")
    elif _has(before, "debt"):
        item.tags.add("debt")
    elif _has(before, "spending"):
        item.tags.add("spending")
    if any(w in before and not before.split(w)[-1].startswith("月") for w in words["per_person"]):
        item.tags.add("per_person")
    if _has(before, "sources") or (item.start == len(before) and not before.strip(" ＿")):
        item.tags.add("source")
    for kind, kind_words in words["not_counted"].items():
        said = [w for w in kind_words if w in before]
        if (
            said
            and not _has(before, "counted")
            and not any(re.search(re.escape(w) + r"(?:的钱)?(?:不算|除外|除开|不计)", before) for w in said)
        ):
            item.excluded = kind
    months = _MONTHS.search(before.rstrip("挣赚卖得了就才有"))
    if months and months.group(1) not in ("一", "1"):
        found = find_numbers(months.group(1))
        if found:
            item.factor = Decimal(1) / found[0].low


def _ranges(heard: list[_Heard], text: str) -> list[_Heard]:
    """ "一千到两千", "1800—2000", "八百多，九百不到": two amounts making one range."""
    merged: list[_Heard] = []
    for item in heard:
        previous = merged[-1] if merged else None
        between = text[previous.end : item.start].strip(" 块元钱米多，,") if previous else ""
        joined = previous is not None and (
            between in amount_words()["range"]
            or ("under" in item.tags and not between and item.low > previous.low)
        )
        if previous is not None and joined:
            previous.high = (
                item.low - (1 if "under" in item.tags else 0) if "under" in item.tags else item.high
            )
            previous.end, previous.approx = item.end, True
            continue
        merged.append(item)
    return merged


def _widened(item: _Heard) -> tuple[Decimal, Decimal, bool]:
    low, high, tags = item.low, item.high, item.tags
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


def read_amount(
    text: str, period: str = "month", size: int | None = None, every_kind: bool = False
) -> Amount | Problem | None:
    """The amount a reply gives for `period` ("month", "year" or "total"), or None if it gives none.

    `size` is the household size, for amounts said per person; with `every_kind`, money 低保 does
    not count (a pension, an allowance) is counted too (for the pension question itself).
    """
    fixed = correction(text)
    if fixed is not None:
        text = fixed
    prepared = prepare(text)
    if _LONG_DIGITS.search(re.sub(r"[\s\-]", "", prepared)):
        return Problem.TOO_LONG
    words = amount_words()
    reply = said(text)
    if reply in words["zero"]:
        return Amount(0, 0)
    default = "month" if period == "total" else period
    heard = [
        h
        for h in _hear(prepared, default)
        if "debt" not in h.tags and ("spending" not in h.tags or period == "total")
    ]
    if every_kind:
        for item in heard:
            item.excluded = None
    if period == "total":  # savings, a year's medical bills: monthly income said on the way is not it
        heard = [
            h
            for h in heard
            if (h.period == "month" and not _named_period(h, prepared)) or h.period != "month"
        ]
    denied = (starts_with(reply, "no") or "") not in ("", "不")  # "不到五百" is not a no
    if not heard or (denied and not any(_is_unit(h, prepared) for h in heard)):
        if re.search(r"靠\S{0,3}(?:姑娘|儿子|女儿|子女|孩子|娃|亲戚|孙)", reply):
            return None  # "没得收入 都是靠我姑娘": how much she gives is still to be asked
        if any(w in reply for w in words["zero_phrases"]) or denied or re.search(_NOTHING, reply):
            return Amount(0, 0)
        return None
    return _combine(heard, prepared, period, size)


def _named_period(item: _Heard, text: str) -> bool:
    return any(w in text[max(0, item.start - 6) : item.start] for w in amount_words()["periods"]["month"])


def _is_unit(item: _Heard, text: str) -> bool:
    return (
        text[item.end : item.end + 2].lstrip("多来").startswith(_MONEY_UNIT)
        or item.period != "month"
        or _has(item.before, "sources")
    )


def _combine(heard: list[_Heard], text: str, period: str, size: int | None) -> Amount:
    if any("varies" in h.tags for h in heard) and len(heard) > 1:
        low, high = min(h.low for h in heard), max(h.high for h in heard)
        heard = [_Heard(low, high, heard[0].start, heard[-1].end, heard[0].before, heard[0].period)]
    kept: list[_Heard] = []
    for item in heard:
        if (
            kept
            and not ({"source", "cost", "net", "final"} & item.tags)
            and item.excluded == kept[-1].excluded
            and item.period == kept[-1].period
        ):
            kept.pop()  # said again: "一千 一千二 一千二左右"
        elif "net" in item.tags:
            while kept and "net" not in kept[-1].tags and kept[-1].excluded is None:
                kept.pop()  # "卖七百 剩三百": the takings give way to what is kept
        kept.append(item)
    finals = [h for h in kept if "final" in h.tags and h.excluded is None]
    parts = [h for h in kept if h not in finals]
    total = _sum(parts, text, period, size) if parts else None
    if finals:
        final = _sum(finals[-1:], text, period, size)
        if total is not None and total.low <= final.high and final.low <= total.high and parts:
            return Amount(max(total.low, final.low), min(total.high, final.high), True, total.excluded,
                          total.notes)
        return Amount(final.low, final.high, final.approx, total.excluded if total else (), final.notes)
    assert total is not None
    return total


def _sum(items: list[_Heard], text: str, period: str, size: int | None) -> Amount:
    low = high = Decimal(0)
    approx, notes, excluded = False, set[str](), list[str]()
    days = _days(text)
    for item in items:
        if item.excluded is not None:
            excluded.append(item.excluded)
            continue
        a, b, rough = _widened(item)
        factor = item.factor
        if item.period == "day":
            first, last = days or (DAYS_IN_MONTH, DAYS_IN_MONTH)
            a, b, notes = a * first, b * last, notes | ({"daily"} if days is None else set())
        elif period != "total":
            factor *= _PER[item.period]
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
    low, high = max(low, Decimal(0)), max(high, Decimal(0))
    return Amount(
        _round(min(low, high)), _round(max(low, high)), approx, tuple(excluded), tuple(sorted(notes))
    )


def _round(value: Decimal) -> float:
    return float(round(value, 2))
