"""The application's personal answers as people type them: name, mobile, ID number, township, village.

Why: "我叫李春花", "138 8765 4321 是我外孙的", an ID number read out digit by digit, "我是因远的",
"清水河村委会的" all answer their question, and an ID whose birth date does not fit the age the
resident gave must be queried, not accepted. The checks themselves (check digit, real dates,
mobile prefixes) are `bot.application.identity`; this module finds the value in the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from bot.application.identity import (
    IdNumber,
    IdProblem,
    digit_runs,
    find_id_run,
    find_mobile,
    parse_id_number,
)
from bot.dialogs.answers.facts import fact_words
from bot.dialogs.answers.vocabulary import is_unknown
from bot.dialogs.choices import ordinal
from bot.text import compact, fold
from bot.townships import townships

_NAME = re.compile(r"^[\u3400-\u9fff·]{2,12}$|^[a-z][a-z ·]{1,30}$")
_NAME_DOTS = re.compile(r"[•・.．。]")
AGE_SLACK = 1  # an age said in 虚岁 or before this year's birthday is off by one


@dataclass(frozen=True)
class IdCheck:
    """An ID number that is valid but does not fit the age given (`mismatch`), or one that is fine."""

    id_number: IdNumber
    age: int
    mismatch: bool


def read_name(text: str) -> str | None:
    """The name in "我叫李春花", "姓名 王建华", "李春花", "岩温" (two characters and up)."""
    folded = _NAME_DOTS.sub("·", fold(text))
    words = fact_words()
    value = compact(folded).replace("·", "") if "·" not in folded else re.sub(r"[\s，,。]", "", folded)
    for lead in words["name_lead"]:
        if value.startswith(lead) and len(value) > len(lead) + 1:
            value = value[len(lead):]
            break
    value = re.sub(r"(?:就是|吧|啊|呀|的|哦|嘛)$", "", value)
    if value.startswith("姓") and len(value) > 3 and value[1] == value[2]:
        value = value[2:]  # 姓王王建华
    elif value.startswith("姓") and len(value) > 2:
        value = value[1:]
    if not _NAME.match(value) or any(w in value for w in words["name_forbidden"]) or is_unknown(text):
        return None
    return value if len(value) <= 6 or "·" in value else None


def read_phone(text: str) -> str | None:
    """11 digits, or "invalid" when the reply holds a number that is not a mobile; None if no number."""
    mobile = find_mobile(text)
    if mobile is not None:
        return mobile
    return "invalid" if digit_runs(text) else None


def read_id(text: str, today: date, age_given: int | None = None) -> IdCheck | IdProblem | None:
    """The ID number checked, and against the age the resident gave; None when there is no number."""
    run = find_id_run(text)
    if run is None:
        return None
    parsed = parse_id_number(run, today)
    if not isinstance(parsed, IdNumber):
        return parsed
    born = parsed.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    mismatch = age_given is not None and abs(age - age_given) > AGE_SLACK
    return IdCheck(parsed, age, mismatch)


def read_township(text: str) -> str | None:
    """The township code: its name, a short or misheard form ("因远", "里江"), or a pinyin near miss."""
    reply = compact(text)
    if not reply:
        return None
    number = ordinal(text)
    if number is not None:  # the numbered list the question shows
        return townships()[number - 1]["code"] if 1 <= number <= len(townships()) else None
    if any(w in reply for w in ("晓不得", "不晓得", "不知道", "不清楚", "记不得")):
        return None
    for place in townships():
        if compact(place["name"]) in reply:
            return place["code"]
    aliases = fact_words()["townships"]
    hits = [(len(w), code) for code, words in aliases.items() for w in words if w in reply]
    if hits:
        return max(hits)[1]
    from pypinyin import lazy_pinyin

    spoken = "".join(lazy_pinyin(reply))
    best, score = None, 0.0
    for place in townships():
        name = "".join(lazy_pinyin(place["name"][:2]))
        value = fuzz.partial_ratio(name, spoken) if len(spoken) >= len(name) else 0.0
        if value > score:
            best, score = place["code"], value
    return best if score >= 90 else None


def read_village(text: str) -> str | None:
    """The village (村委会 / 社区) as written, without "我是…的" around it."""
    words = fact_words()
    value = re.sub(r"[\s，,。!！?？]", "", fold(text))
    if is_unknown(text):
        return None
    for lead in words["village_lead"]:
        if value.startswith(lead) and len(value) > len(lead) + 1:
            value = value[len(lead):]
            break
    for tail in words["village_tail"]:
        if value.endswith(tail) and len(value) > len(tail) + 1:
            value = value[: -len(tail)]
            break
    code = read_township(value)
    if code is not None:  # "因远镇安仁村": keep the village, drop the township
        for name in (next(t["name"] for t in townships() if t["code"] == code), *words["townships"][code]):
            value = value.replace(fold(name), "", 1) if len(value) > len(fold(name)) + 1 else value
    return value if 2 <= len(value) <= 30 and not value.isdigit() else None
