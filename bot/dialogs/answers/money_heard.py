"""Which numbers in a reply are money, and what each one is said for.

Why: in "我今年五十九 一个月挣两千 一只羊赚三百" only some numbers are amounts, and each amount
comes with its period (a month, a year, a day), its source, whether it is a cost, a total, an
approximation, and how many units it is for. `hear` finds them in order; `money_sum` makes one
amount of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs.answers.numbers import Number, find_numbers, mend
from bot.dialogs.answers.pinyin import heard
from bot.text import fold

AMOUNTS_PATH = Path(__file__).with_name("amounts.yaml")
_SPACED_DIGITS = re.compile(r"(?<=\d)[ ,](?=\d)")
MONEY_UNIT = ("块钱", "元钱", "块", "元", "米")  # 米: slang for 元 ("三百米")
_MONTHS = re.compile(r"([一二两三四五六七八九十\d]+)个?月$")


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
class Heard:
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
    times: tuple[Decimal, Decimal] = (Decimal(1), Decimal(1))  # "每只赚三百 … 养了六只": × 6


def has_word(text: str, name: str) -> bool:
    return any(w in text for w in amount_words()[name])


# "嫁出去了", "回去了": a going, not money going out (去了 is a deduction word).
_GOING = re.compile(r"[出回过进上下来跑搬](?=去了)")


def _last(text: str, name: str) -> int:
    if name == "deduct":
        text = _GOING.sub("＿", text).replace("＿去了", "＿＿＿")
    return max((text.rfind(w) for w in amount_words()[name]), default=-1)


def prepare(text: str) -> str:
    """Folded (pinyin read as characters), numerals mended, digits split by spaces joined."""
    return _SPACED_DIGITS.sub("", mend(heard(text)))


def mask_words(text: str) -> str:
    """Words with a numeral inside that are not numbers ("一起", "老二") blanked out, same length."""
    for word in amount_words()["not_numbers"]:
        if word in _UNIT_FIRST:  # 万一 "in case", but not inside 一万一千; 千万 "by all means", not 一千万
            text = re.sub(rf"(?<![\d{_NUMERALS}]){word}", "＿" * len(word), text)
        else:
            text = text.replace(word, "＿" * len(word))
    return text


_UNIT_FIRST = ("万一", "千万")
_REPAID = re.compile(r"(?:报|报销|报账|赔)(?:了|掉|回来|下来)\s*$")
_NUMERALS = "零一二两三四五六七八九十百千万几"


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
    if number.text == "一" and not after.startswith(MONEY_UNIT):
        return False  # 一共, 一直, 一下: not an amount
    if number.high < 120 and (
        (
            re.search(r"(?:今年|都|已经|快|年纪|岁数)$", before)
            and after.startswith(("了", "岁", "多了", "几了"))
        )
        or after.startswith("岁")
        or (re.search(r"(?:今年|年纪|岁数|我才|我都|我还)$", before) and not after.startswith(MONEY_UNIT))
        or (after.startswith("了") and not re.search(r"[给挣赚卖得收花要出剩落]\S?$", before.rstrip()))
    ):
        return False  # 今年八十二了, 两口子都六十几了, 我今年五十九 在砖厂做…, 我才五十几 领不到: ages
    if after.startswith(MONEY_UNIT):
        return not after.startswith(("块地", "块田"))
    if after.startswith(amount_words()["sent"]):
        return True
    not_money = amount_words()["not_money"]
    return not any(after.startswith(w) for kind in not_money.values() for w in kind)


def _period(prefix: str, after: str) -> str | None:
    rest = after.lstrip("把块元钱米多来左右")
    dating = amount_words()["dating"]
    for name, words in amount_words()["periods"].items():
        if any(rest.startswith(w) and w not in dating for w in words):
            return name
    best, best_at = None, -1
    for name, words in amount_words()["periods"].items():
        for word in words:
            at = prefix.rfind(word)
            if at > best_at:
                best, best_at = name, at
    return best


def hear(text: str, default: str) -> list[Heard]:
    masked = mask_words(text)
    heard: list[Heard] = []
    last_end = 0
    for number in find_numbers(masked):
        if not _is_money(number, masked):
            continue
        before = masked[last_end : number.start]
        item = Heard(number.low, number.high, number.start, number.end, before, approx=number.approx)
        said = _period(text[: number.start], text[number.end : number.end + 6])
        item.period = said or ("year" if "卖" in before and any(w in before for w in _HARVEST) else default)
        _tag(item, masked)
        next_words = text[item.end :].lstrip("块元钱米")
        if text[item.end - 1 : item.end] == "多" and next_words.startswith(("点", "一点")):
            item.tags.add("bit_over")  # 两千多(一)点: a little over two thousand (一点 is masked)
        times, counted_in = _times(item, masked)
        item.times = (item.times[0] * times[0], item.times[1] * times[1])  # 隔两三个月 kept
        item.period = counted_in or item.period  # "一个月跑五六趟": the times are a month's
        if said is None and "cost" in item.tags and heard:  # a cost is for the same time as the takings
            item.period = heard[-1].period
        heard.append(item)
        last_end = number.end
    return _ranges(heard, masked)


# Units an amount may be said for one of ("每只赚三百", "一趟挣两三百"); words in a group count alike.
_UNITS = (("头",), ("只",), ("亩",), ("批",), ("次", "回", "趟"))
_EACH = re.compile(r"(?:一|每)(" + "|".join(u for group in _UNITS for u in group) + r")\S{0,3}$")


def _times(item: Heard, text: str) -> tuple[tuple[Decimal, Decimal], str | None]:
    """How many of the unit an amount is said for the reply counts, and the period the count is
    for: "养了六只 … 每只赚三百" is six times 三百, "一趟挣两三百 一个月跑五六趟" five or six times a
    month."""
    once = (Decimal(1), Decimal(1))
    each = _EACH.search(item.before.replace(" ", ""))
    if each is None:
        return once, None
    group = next(g for g in _UNITS if each.group(1) in g)
    for number in find_numbers(text):
        after = text[number.end : number.end + 1]
        if after in group and number.text != "一" and not text[: number.start].endswith("每"):
            before = text[max(0, number.start - 8) : number.start]
            return (number.low, number.high), _period(before, "")
    return once, None


# The figure now, said after an earlier one: "一个月五千 … 现在是零", "以前八百 现在三百".
_NOW = re.compile(r"(?:现在|如今|目前|这个月)(?:是|就|只有|只|才|就是|就剩|剩)?\s*$")


_WHEN = r"(?:上个月|去年|前年|以前|原来|之前|过去|早先|刚才说的)"
_OVER_TIME = re.compile(r"(?:月|年)下来(?:就|也就|能有|有|大概|差不多|就是|能落|落)?$")
_PAST_BEFORE = re.compile(_WHEN + r"(?:才|都|还|就)?(?:是|有)?$")
_PAST_AFTER = re.compile(r"^(?:多|来)?(?:块|元)?(?:钱)?\s?(?:那?是|都是|还是)" + _WHEN)


def last_clause(before: str) -> str:
    """The words said with an amount: the last clause before it (the one before that if it is empty)."""
    parts = [p for p in re.split(r"[\s，,。；;！!？?]+", before) if p.strip("＿")]
    return parts[-1] if parts else ""


def _tag(item: Heard, text: str) -> None:
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
    if any(text[item.end : item.end + 6].lstrip("块元钱米都也还").startswith(w) for w in ("不到", "不足")):
        item.tags.add("under")  # 五百不到, 一千块钱都不到
    clause = last_clause(before)
    for name in ("net", "final"):  # and "一天四五十 … 一个月下来七八百": the month's sum of the days
        if has_word(before, name) or (name == "final" and _OVER_TIME.search(clause)):
            item.tags.add(name)
    if has_word(clause, "varies"):
        item.tags.add("varies")  # "有时候三千": not "有时候晚几天 … 一年一万二"
    if _NOW.search(before):
        item.tags.add("now")
    if _PAST_BEFORE.search(clause) or _PAST_AFTER.match(text[item.end : item.end + 12]):
        item.tags.add("past")  # "上个月才是八百", "七百是去年": not what comes in now
    deduct, cost = _last(before, "deduct"), _last(before, "cost")
    # "扣掉进货一千": the amount right after the cost word is that cost, not what is left
    named_cost = cost >= 0 and re.match(r"^\S{1,3}?(?:的|要|花了|花|了)?$", before[cost:]) is not None
    if deduct >= 0 and cost > deduct and not has_word(before[cost:], "deduct") and not named_cost:
        item.tags.add("net")  # 扣掉成本 差不多一万二: what is left
    elif deduct >= 0 or cost >= 0:
        item.tags.add("cost")
        if _last(before, "final") < max(deduct, cost):
            item.tags.discard("final")  # "化肥请工一共花了四千": the total of the costs, not what is left
    elif _REPAID.search(before):
        item.tags.add("cost")  # "花了三万多 报了一万": the part paid back is taken off
    elif has_word(before, "debt"):
        item.tags.add("debt")
    elif has_word(before, "spending"):
        item.tags.add("spending")
    if any(w in clause and not clause.split(w)[-1].startswith(("月", *words["one_who"] * (w[0] == "一")))
           for w in words["per_person"]):  # not "一个人打工 一个月一千五": one of them earns it
        item.tags.add("per_person")
    if has_word(before, "sources") or (item.start == len(before) and not before.strip(" ＿")):
        item.tags.add("source")
    for kind, kind_words in words["not_counted"].items():
        said = [w for w in kind_words if w in before]
        if (
            said
            and not has_word(before, "counted")
            and not any(_left_out(w, before) for w in said)
            # "我们是低保户 … 自己挣的一个月两三百": named as earned after it, the figure is earnings
            and not has_word(before[max(before.rfind(w) for w in said) :], "earned")
        ):
            item.excluded = kind
    months = _MONTHS.search(before.rstrip("挣赚卖得了就才有打寄给拿"))  # 隔两个月寄一千: per two months
    if months and months.group(1) not in ("一", "1"):
        found = find_numbers(months.group(1))
        if found and found[0].low != found[0].high:  # 隔两三个月寄一千: a third to a half a month
            item.times = (item.times[0] / found[0].high, item.times[1] / found[0].low)
        elif found:
            item.factor = Decimal(1) / found[0].low


def _left_out(word: str, before: str) -> bool:
    """The money `word` names is said to be left out before the amount: "低保的钱不算", "不算低保的话",
    "低保算不算 不算的话 … 两百多" (the amount is what remains without it). Only its last mention counts."""
    start = before.rfind(word)
    after = before[start + len(word) :]
    if _LEFT_OUT_AFTER.match(after):
        return True  # "除了低保五百 还有三百": the 五百 right after it is still that money
    return bool(_LEFT_OUT_BEFORE.search(before[:start])) and bool(re.search(r"[\s，,]|的话", after))


_LEFT_OUT_AFTER = re.compile(r"\S{0,6}?(?:不算|除外|除开|不计|不要算|莫算|别算)")
_LEFT_OUT_BEFORE = re.compile(r"(?:不算|除开|除了|除去|去掉|不计|不包括|不含|刨开|刨去)\S{0,2}$")


def _ranges(heard: list[Heard], text: str) -> list[Heard]:
    """ "一千到两千", "1800—2000", "八百多，九百不到": two amounts making one range."""
    merged: list[Heard] = []
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
