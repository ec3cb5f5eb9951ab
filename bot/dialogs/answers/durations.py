"""How long a 居住证 has been held, in the words residents use: 两年, 一年零三个月, 一年半, 两年多,
八个月, 快一年了还差一个月, 没有.

Why: the permit's time decides whether a 户籍 elsewhere in Yunnan may apply here, and it is said
loosely as often as exactly; a loose figure ("两年多", "好几年") is returned with a flag so that it
is read back, and the time still wanted ("要满一年") is never taken for the time held.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from bot.dialogs.answers.numbers import find_numbers, mend
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.places import UNKNOWN
from bot.dialogs.answers.vocabulary import yes_no

_YEARS = re.compile(
    r"(?P<years>[一二两三四五六七八九十\d几]+(?:\.\d+)?来?)年(?P<half>半)?(?P<more>多)?"
    r"(?:零|又)?(?:(?P<months>[一二两三四五六七八九十\d几]+)个?月)?"
    r"|(?P<only>[一二两三四五六七八九十\d几]+)个?月|(?P<halfyear>大?半年)"
)


_NOT_YET = re.compile(r"(?:还)?(?:没|不|未)(?:有)?满[一二两三四五六七八九十\d]+(?:年|个月)")
_NOT_HELD = re.compile(r"要满|得满|再等|等上|还要|需要|规定")
_UNAWARE = re.compile(r"(?:晓不得|不晓得|不知道|不清楚)(?:还)?(?:要|得|能|可以|需要|该)\S*")


# A calendar year ("2023年办的", "二〇二三年"): when the card was issued, not how long it is held.
_CALENDAR = re.compile(r"(?:19|20)\d\d(?=年)|[一二][零〇九][零〇一二三四五六七八九]{2}(?=年)")
_CN_DIGIT = str.maketrans("零〇一二三四五六七八九", "00123456789")


def _issued(text: str) -> int | None:
    found = _CALENDAR.findall(re.sub(r"\s+", "", mend(heard(text))))
    return int(found[-1].translate(_CN_DIGIT)) if found else None


def read_years(text: str, today: date | None = None) -> float | str | None:
    """How long a 居住证 has been held, in years: 两年, 一年零三个月 (1.25), 一年半, 两年多 (2, the
    whole years), 八个月, 快一年了还差一个月 (0.92), 没有 → 0, 2023年办的 (the years since, when
    `today` is known); said again ("满一年了 刚好一年") counts once."""
    compact, short, match = _held(text)
    if re.search(r"(?<![没不])过期", compact):
        return 0.0  # "办了三年 去年过期了": an expired card is none held now
    issued = _issued(text)
    if match is None and issued is not None:
        return float(today.year - issued) if today is not None and 0 <= today.year - issued < 60 else None
    if match is None:
        unsure = _UNAWARE.sub("", compact)  # "不晓得要办": did not know it was needed, not unsure
        if any(w in unsure for w in ("晓不得", "不晓得", "不知道", "不清楚", "记不得")):
            return UNKNOWN
        if yes_no(text) is False or any(
            w in compact for w in ("没办", "没有", "没得", "莫得", "没听说", "没听过", "是哪样")
        ):
            return 0.0
        return 0.0 if ("刚" in compact or "才办" in compact) else None
    if match.group("halfyear"):
        value = Decimal("0.75") if match.group("halfyear").startswith("大") else Decimal("0.5")
        if re.search(r"半年(?:都)?不到|不到半年", compact):
            value = Decimal("0.25")
        return float(value)
    if match.group("only"):
        value = _count_of(match.group("only")) / 12
    else:
        value = _count_of(match.group("years"))
        if match.group("half"):
            value += Decimal("0.5")  # "两年多" is two whole years held (read back as loose)
        if match.group("months"):
            value += _count_of(match.group("months")) / 12
    if short:
        value -= _count_of(short.group(1)) / 12
    return round(float(value), 2)


_LOOSE = re.compile(
    r"[一二两三四五六七八九十\d]年多|几(?:年|个月)|(?:快|将近|差不多|大概|左右)\S{0,2}[一二两三四五六七八九十\d]+(?:年|个月)"
    r"|[一二两三四五六七八九十\d](?:年|个月)(?:左右|上下|的样子)"
)


def loose_years(text: str) -> bool:
    """The duration held said loosely ("两年多", "好几年", "快一年了", or only the year it was issued):
    the figure read is a guess."""
    match = _held(text)[2]
    if match is None:
        return _issued(text) is not None
    around = match.string[max(0, match.start() - 4) : match.end() + 4]
    return _LOOSE.search(around) is not None


def _held(text: str) -> tuple[str, re.Match[str] | None, re.Match[str] | None]:
    """The reply compacted, a "还差三个月" in it, and the duration that says how long it is held."""
    reply = mend(heard(text))
    for word in ("居住证", "居住"):  # "在元江住了六年，居住证也办了六年": the permit's own years
        if word in reply:
            reply = reply[max(0, reply.rfind(word) - 3) :]
            break
    compact = re.sub(r"\s+", "", reply)
    short = re.search(r"(?:还)?差([一二两三四五六七八九十\d]+)个?月", compact)
    counted = compact[: short.start()] + compact[short.end() :] if short else compact
    counted = _NOT_YET.sub("|", counted)  # "还没满一年 八个月": a bound, then the time held
    counted = _CALENDAR.sub(lambda m: "|" * len(m.group()), counted)  # 2023年: a date, not a time held
    found = [m for m in _YEARS.finditer(counted) if m.group()]
    held = [m for m in found if not _NOT_HELD.search(counted[max(0, m.start() - 4) : m.start()])]
    found = held or found  # "有一年零十个月了 … 要满一年 … 再等几个月": the time held, not one wanted
    return compact, short, found[-1] if found else None


def _count_of(numeral: str) -> Decimal:
    numbers = find_numbers(numeral)
    return numbers[0].low if numbers else Decimal(0)
