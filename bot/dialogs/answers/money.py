"""Amounts of money in a sentence, as a careful listener hears them.

Why: residents do not answer "how much a month" with one number. They say "三四百" (a range),
"一年一万二" (a year), "两口子加起来六千左右" (a total, where 两 counts people, not yuan), "卖七百
剩三百" (what is kept), "甘蔗卖两万 化肥去掉八千" (a cost to take off), "一天七十 一个月做二十天"
(days worked), "打工两千 老伴养老金一百多" (two sources, one of which 低保 does not count), and
voice input repeats itself ("一千 一千二 一千二左右" is one figure). `read_amount` turns such a
reply into an interval for the period asked and says what it left out.
"""

import re
from enum import StrEnum

from bot.dialogs.answers.money_heard import MONEY_UNIT, hear, mask_words, prepare
from bot.dialogs.answers.money_sum import Amount, combine
from bot.dialogs.answers.money_words import Heard, amount_words, has_word
from bot.dialogs.answers.vocabulary import correction, said, said_before_correction, starts_with

__all__ = ["Amount", "Problem", "amount_words", "mask_words", "prepare", "read_amount"]

_LONG_DIGITS = re.compile(r"\d{13,}")


# No amount, and said there is none: "存款莫得了", "哪里有存款", "今年没去过医院", "花光了".
_NOTHING = r"莫得|没得|没有|没去|没看|哪里有|花光|用光|用完|掏空|一分都|一分也|冇得"


class Problem(StrEnum):
    TOO_LONG = "too_long"  # a digit string no amount has (a pasted ID or phone number)


def read_amount(
    text: str, period: str = "month", size: int | None = None, every_kind: bool = False
) -> Amount | Problem | None:
    """The amount a reply gives for `period` ("month", "year" or "total"), or None if it gives none.

    `size` is the household size, for amounts said per person; with `every_kind`, money 低保 does
    not count (a pension, an allowance) is counted too (for the pension question itself).
    """
    period_fixed = _PERIOD_FIXED.match(text.strip())
    fixed = correction(text)
    if period_fixed:  # "三四千 不对不对 那是一年的": the figure stands, for a year
        text = period_fixed.group(2) + period_fixed.group(1)
    elif fixed is not None:
        text = figure_fixed(text, fixed) or fixed
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
        for h in hear(prepared, default)
        if not {"debt", "promised"} & h.tags and ("spending" not in h.tags or period == "total")
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
    # "不到五百" is not a no, nor is "还没报销 先垫了五万" (paid, not yet reimbursed)
    denied = (starts_with(_UNREPAID.sub("", reply), "no") or "") not in ("", "不")
    contrary = denied and bool(heard) and re.search(r"就是|只有|就\S{0,4}[一二两三四五六七八九十几\d]", reply)
    if contrary:  # "没有 真没有 就是手机里一两百": a no, then the little there is
        found = combine(heard, prepared, period, size)
        return Amount(found.low, found.high, found.approx, found.excluded, (*found.notes, "contrary"))
    if not heard or (denied and not any(_is_unit(h, prepared) for h in heard)):
        if re.search(r"靠\S{0,3}(?:姑娘|儿子|女儿|子女|孩子|娃|亲戚|孙)", reply):
            return None  # "没得收入 都是靠我姑娘": how much she gives is still to be asked
        if any(w in reply for w in words["zero_phrases"]) or denied or re.search(_NOTHING, reply):
            return Amount(0, 0)
        return None
    if period == "total" and _spent_since(heard[-1], prepared):
        return Amount(0, 0)  # "原来有三万 去年盖房子用完了 现在没有": what is left now
    if period == "total" and len(heard) > 1 and _once(heard[0], prepared) and not _once(heard[-1], prepared):
        heard = [h for h in heard if not _once(h, prepared)]  # "以前存了两万 现在还有一万": the sum now
    several = len(heard) > 1
    if any("past" not in h.tags for h in heard):
        heard = [h for h in heard if "past" not in h.tags]  # "七百是去年 今年 … 三百": the figure now
    now = [i for i, h in enumerate(heard) if "now" in h.tags and i > 0 and heard[i - 1].period == h.period]
    if now:
        heard = heard[now[-1] :]  # "一个月五千 … 这个月一分钱都没拿到 … 现在是零": the figure now
    after = prepared[heard[-1].end :]
    if period == "month" and _NOW_NOTHING.search(after):
        return Amount(0, 0)  # "一个月三千 上个月砂场关了 现在一分莫得": what comes in now
    if period == "month" and _STOPPED.search(after) and not _LATER.search(after):
        return None  # "一个月五千 这个月停工了": whether anything comes in now is asked again
    found = combine(heard, prepared, period, size)
    if several and not {"sum", "disagree"} & set(found.notes):
        # "卖了一万八 去掉七八千 剩一万出头", "儿子给三百 低保两百多": which figures were kept, taken
        # off or left out is the reader's choice, so it is read back with the figure
        return Amount(found.low, found.high, found.approx, found.excluded, (*found.notes, "several"))
    return found


_BARE_FIGURE = re.compile(r"^(?:是|就是|应该是)?([一二两三四五六七八九十百千万\d]+)(?:块|元|块钱)?$")


def figure_fixed(text: str, fixed: str) -> str | None:
    """A correction that gives one bare figure after several were said corrects the last of them
    only: "老婆一千二 我两千五 不对不对 两千三" is 一千二 and 两千三."""
    bare, before = _BARE_FIGURE.match(fixed), said_before_correction(text)
    if bare is None or before is None:
        return None
    prepared = prepare(before)
    heard = hear(prepared, "month")
    if len(heard) < 2:
        return None
    last = heard[-1]
    return prepared[: last.start] + bare.group(1) + prepared[last.end :]


# Money paid and not yet paid back: "还没报销", "没有报", "医保还没赔".
_UNREPAID = re.compile(r"(?:还|也|都)?(?:没|没有|没得|莫得|未)(?:报销|报账|报|赔|退)(?:下来|回来)?")
# After the last amount: it has stopped, and nothing comes in now; or only that it stopped.
_NOW_NOTHING = re.compile(
    r"(?:现在|这个月|目前|如今|眼下)\S{0,6}?(?:一分|是零|为零|莫得|没得|没有|啥都|什么都|没收入|停了)"
)
_STOPPED = re.compile(r"停了|关了|停工|倒闭|关门|不做了|没做了|不干了|不要我了|辞退|没活了")
_LATER = re.compile(r"(?:下个月|以后|明年|过几天|过段时间|快要|就要|要)\S{0,4}(?:停|关|倒闭|不做|不干)")


# A correction that only says the period of the figure before it.
_PERIOD_FIXED = re.compile(
    r"^(.*?)[\s，,]*(?:不对[\s，,]*)+(?:那|这)?(?:个)?是(一年|全年|一年下来)的?(?:钱|收入)?[嘛哦啊]?$"
)


# A sum once held ("原来有三万", "以前存了两万多") and then gone: spent, or none now.
_ONCE = re.compile(r"(?:原来|原先|以前|之前|本来|早先|过去|那时候?)\S{0,3}$")
_GONE = re.compile(
    r"(?:用|花|吃|败)(?:完|光)|(?:现在|如今|目前|眼下)\S{0,3}?(?:没有|没得|莫得|一分)|(?:没有|莫得|没得)了"
)


def _once(item: Heard, text: str) -> bool:
    return "past" in item.tags or _ONCE.search(text[max(0, item.start - 8) : item.start]) is not None


def _spent_since(item: Heard, text: str) -> bool:
    """A total said as held once, and said gone after it: nothing is held now."""
    return _once(item, text) and _GONE.search(text[item.end :]) is not None


def _named_period(item: Heard, text: str) -> bool:
    return any(w in text[max(0, item.start - 6) : item.start] for w in amount_words()["periods"]["month"])


def _is_unit(item: Heard, text: str) -> bool:
    return (
        text[item.end : item.end + 2].lstrip("多来").startswith(MONEY_UNIT)
        or item.period != "month"
        or has_word(item.before, "sources")
    )
