"""The answer kinds that say who the person is, for the application: phone, ID number, and the
consent to the questions.

Why: these readers answer to the application's rules (an ID whose birth date does not fit the age
is queried, a consent is the last clause that says yes or no), not to the household's facts; the
registry in `kinds` only names them.
"""

from __future__ import annotations

import re

from bot.application.identity import IdProblem
from bot.dialogs.answers import people
from bot.dialogs.answers.kinds_base import Ask, Parsed
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import means, said, yes_no


def read_phone(text: str, ask: Ask) -> Parsed | None:
    phone = people.read_phone(text)
    if phone is None:
        return None
    if phone == "unknown":
        return Parsed(None, unknown=True)
    return Parsed(None, problem="invalid") if phone == "invalid" else Parsed(phone)


def read_id(text: str, ask: Ask) -> Parsed | None:
    checked = people.read_id(text, ask.today, ask.age)
    if checked is None:
        return None
    if isinstance(checked, IdProblem):  # a StrEnum: before the plain "unknown"
        return Parsed(None, problem=checked.value)
    if isinstance(checked, str):  # "unknown": not to hand
        return Parsed(None, unknown=True)
    value = {"id_number": checked.id_number.value, "age": checked.age}
    return Parsed(value, readback="mismatch") if checked.mismatch else Parsed(value)


# "不会的话就同意": a yes on a condition the consent step has already explained.
_ON_CONDITION = re.compile(r"的话(?:我)?就?(?:同意|可以|行|答)(?:嘛|吧|了)?$")


def read_consent(text: str, ask: Ask) -> Parsed | None:
    """Yes or no to the questions; the last clause that says either decides ("这些会不会拿去给别人看
    算了 你问嘛" is a yes, "刚才说可以 我想了一下 还是不要了" a no); "先问问我儿子" is not yet either."""
    if means(text, "unknown"):
        return Parsed(None, unknown=True)
    for clause in reversed([c for c in re.split(r"[\s，,。！!？?]+", heard(text)) if c]):
        value = True if _ON_CONDITION.search(said(clause)) else yes_no(clause)
        if value is None and re.search(r"^(?:就|你|那)?问(?:嘛|吧)?$|^得嘛?$|^行嘛$", said(clause)):
            value = True
        if value is None and re.search(r"不要了|不想说|不想答|不做了|不搞了", said(clause)):
            value = False
        if value is not None:
            return Parsed(value)
    if re.search(r"先问问|再说|考虑|先说清楚|搞哪样|干什么用", said(text)):
        return Parsed(None, unknown=True)
    return None
