"""Which numbers in a reply are money, and what each one is said for.

Why: in "我今年五十九 一个月挣两千 一只羊赚三百" only some numbers are amounts, and each amount
comes with its period (a month, a year, a day), its source, whether it is a cost, a total, an
approximation, and how many units it is for. `hear` finds them in order (`money_tags` marks what
each is said for); `money_sum` makes one amount of them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.dialogs.answers.money_tags import tag
from bot.dialogs.answers.money_words import Heard, amount_words
from bot.dialogs.answers.numbers import Number, find_numbers, mend
from bot.dialogs.answers.pinyin import heard

_SPACED_DIGITS = re.compile(r"(?<=\d)[ ,](?=\d)")
MONEY_UNIT = ("块钱", "元钱", "块", "元", "米")  # 米: slang for 元 ("三百米")


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
        tag(item, masked)
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
