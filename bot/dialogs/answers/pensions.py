"""The pension a household draws: which kind (a residents' basic pension or an employee's) and how
much a month.

Why: "莫得 我还不到岁数 才五十几" gives the resident's age, not an amount, and says there is none;
"退休工资两千八" is an employee's pension; "他退休工资三千 我的一百二" is a sum the bot made, so
it is read back.
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogs.answers.facts import fact_words
from bot.dialogs.answers.money import Amount, read_amount
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import said, yes_no


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


# "还不到六十(岁)": the age a pension starts at, not an amount; "不到四百" is an amount.
_NOT_OF_AGE = re.compile(
    r"(?:不到|没满|未满)[一二两三四五六七八九十\d]+岁|(?:不到|没满|未满)[五六]十[一二三四五六七八九]?(?![块元钱百])"
    r"|(?:不到|没满|未满)[56]\d(?![\d块元钱])"
)


def pension_summed(text: str) -> bool:
    """The pension figure is a sum the bot made of several said ("两千八 … 老伴一百四"), or one said
    for each of two ("一人一百多"): a guess."""
    amount = read_amount(_NOT_OF_AGE.sub("", heard(text)), "month", every_kind=True)
    return isinstance(amount, Amount) and ("sum" in amount.notes or _for_each_of_two(heard(text), amount))


def _for_each_of_two(reply: str, amount: Amount) -> bool:
    """The figure is said for each of two people and not yet multiplied: "我和老伴都有 一人一百多",
    "老奶有 一个月一百四五 我也有 差不多"."""
    words, compact = fact_words()["pension"], reply.replace(" ", "")
    if "sum" in amount.notes:
        return False
    each = "per_person" in amount.notes and _has(compact, words["two_of_them"])
    return each or _has(compact, words["same_again"])


def read_pension(text: str) -> dict[str, Any] | None:
    """{kind: residents_basic | employee | none, monthly: [low, high] | None}."""
    words, reply = fact_words()["pension"], heard(text)
    young = min((reply.find(w) for w in words["not_of_age"] if w in reply), default=-1)
    if young >= 0:  # "莫得 我还不到岁数 才五十几": what follows is the resident's age
        reply = reply[:young] + "还不到"
    amount = read_amount(_NOT_OF_AGE.sub("", reply), "month", every_kind=True)
    monthly = amount.to_json() if isinstance(amount, Amount) and amount.high > 0 else None
    if monthly is not None and isinstance(amount, Amount) and _for_each_of_two(reply, amount):
        monthly = [2 * monthly[0], 2 * monthly[1]]  # "一人一百多": the two of them draw twice it
    if monthly is None and re.search(r"没有领|没领|没得领|莫得|没有交|没交|还不到|不够年龄", reply):
        return {"kind": "none", "monthly": None}
    if _has(reply, words["employee"]):
        kind = "employee"
    elif _has(reply, words["residents"]) or (monthly is not None and monthly[1] < 1000):
        kind = "residents_basic"
    elif said(text) in words["none"] or yes_no(text) is False:
        return {"kind": "none", "monthly": None}
    elif monthly is not None:
        kind = "employee"
    else:
        return None
    if kind != "none" and _has(reply, words["none"]) and monthly is None and yes_no(text) is False:
        return {"kind": "none", "monthly": None}
    return {"kind": kind, "monthly": monthly}
