"""Sudden hardships and this year's medical costs in one reply: "没有 看病一年自己出两千左右".

Why: a caseworker asks "最近有没有遇到难事？今年看病自己花了多少？" in one breath, and residents
answer both in one message, in that order. The reply is cut where it starts on the costs: the first
clause about medical care (看病, 拿药, 报了以后自己出 …), or, after the hardships were answered, a
bare figure or a bare no ("没有 三百左右", "莫得 莫得"). What comes before is read as the hardships,
what comes after as the year's costs; a part the reply does not touch stays open for its own
question. A hardship of illness or an accident whose care cost money is also a medical bill.
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogs.answers.facts import fact_words, read_emergency
from bot.dialogs.answers.money import Amount, read_amount
from bot.dialogs.answers.numbers import find_numbers
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import is_unknown, yes_no

_CLAUSE = re.compile(r"[\s，,。；;、]+")


def read_hardship(text: str) -> dict[str, Any] | None:
    """{emergency?: [...], medical_spending?: amount} for the parts said."""
    clauses = [c for c in _CLAUSE.split(heard(text)) if c]
    cut = next((i for i, c in enumerate(clauses) if _about_costs(c, i)), len(clauses))
    found: dict[str, Any] = {}
    said = " ".join(clauses[:cut])
    events = read_emergency(said) if cut and not is_unknown(said) else None
    if events is not None or (cut and is_unknown(said)):
        found["emergency"] = events  # None: "不知道" — answered, not known
    if cut < len(clauses):
        amount = read_amount(" ".join(clauses[cut:]), "total")
        if isinstance(amount, Amount):
            found["medical_spending"] = amount.stored(excluded=False)
            if events and amount.high > 0 and {"illness", "accident"} & set(events):
                found["emergency"] = sorted({*events, "medical_bill"})
    return found or None


def _about_costs(clause: str, index: int) -> bool:
    if any(w in clause for w in fact_words()["medical_costs"]):
        return True
    if index == 0 or read_emergency(clause):
        return False  # the hardships come first
    return bool(find_numbers(clause)) or yes_no(clause) is False
