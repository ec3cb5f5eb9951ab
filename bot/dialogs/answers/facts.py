"""Facts about the household in free words: health, disability, illness, school; and (from
`facts_life`) work, help received, emergencies, supporters.

Why: "没有 就是有点气管炎" is no serious illness; "儿子有残疾证 智力三级" is a disability card of a
known type and grade; "有个姑娘嫁出去了 她自己都难 管不了我" is a supporter who cannot support.
Each reader takes the reply and returns the value for its topic, or None when the reply does not
answer it; the words are in `facts.yaml`.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.facts_life import (
    out_of_touch,
    read_current,
    read_emergency,
    read_supporters,
    read_work,
)
from bot.dialogs.answers.facts_words import fact_words, first, has, negated
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import now_said, yes_no

__all__ = [
    "fact_words",
    "out_of_touch",
    "read_current",
    "read_disability_grade",
    "read_disability_type",
    "read_emergency",
    "read_health",
    "read_illness",
    "read_school",
    "read_supporters",
    "read_work",
]


# "老伴中风了 我么还好": someone else is well; it does not make the illness named a light one.
_OF_OTHERS = re.compile(
    r"(?:我|我自己|自己|别人|其他人|别的人|别的|他们|娃娃|孩子)(?:么|嘛|倒是|呢|的话|身体|都)*"
    r"(?:还好|还行|没事|能动|没(?:什么|啥|得|有)?大毛病)"
    r"|\S{0,3}身体(?:么|嘛|倒是|呢|都)*(?:还好|还行|好)"  # "儿子身体还好": someone named is well
)


def read_health(text: str) -> dict[str, bool | None] | None:
    """{disability, illness} for the household: a disability card (only a card counts), a serious
    illness (cancer, 尿毒症, stroke …; 气管炎 or 高血压 are not)."""
    words, reply = fact_words()["health"], heard(text)
    reply = _CARD_DENIED.sub("证没有", reply)  # "残疾证 好像没有": the card, then denied
    answer = yes_no(text)
    disability: bool | None = None
    illness: bool | None = None
    if has(reply, words["no_card"]):
        disability = _card_beside_denial(reply, words)
    elif any(w in reply and not negated(reply, w) for w in (*words["disability_card"], "残疾")):
        disability = True  # "儿子是残疾": said so, in the words of the card
    elif "残疾" in reply:
        disability = False  # "残疾也莫得"
    # "大病不清楚": an illness named only to say it is not known is neither had nor denied
    named = [w for w in words["serious"] if w in reply and not _doubted(reply, w)]
    serious = [w for w in named if not negated(reply, w)]
    chronic = any(w in reply and not negated(reply, w) for w in words["chronic"])
    if serious and not has(_OF_OTHERS.sub(" ", reply), words["not_serious"]):
        illness = True
    elif chronic and not has(reply, words["not_serious"]) and answer is not False:
        illness = None  # 糖尿病 for years: serious or not is the next question (`ill_unclear`)
    elif has(reply, words["minor"]) or has(reply, words["not_serious"]) or has(reply, words["healthy"]):
        illness = False
    elif named:
        illness = False  # "有残疾的 没有重病的": the serious illness named only to deny it
    if answer is False or has(reply, words["healthy"]) or re.search(r"别的(?:都)?(?:莫得|没得|没有)", reply):
        disability = False if disability is None else disability
        illness = False if illness is None and not chronic else illness
    if (
        disability is None
        and answer is True
        and any(w in reply for w in words["disability"])
        and "证" in reply
    ):
        disability = True
    unclear = illness is None and (chronic or has(reply, words["ill_general"])) and answer is not False
    if disability is None and illness is None and not unclear:
        return None
    found: dict[str, bool | None] = {"disability": disability, "illness": illness}
    if unclear:
        found["ill_unclear"] = True  # someone is ill; whether it is serious is asked next
    return found


_ASKED_OF = re.compile(r"^\s?(?:么|嘛|呢|的话)?(?:有没有|有没得|有莫得)?\s?")


def _doubted(reply: str, word: str) -> bool:
    after = reply[reply.find(word) + len(word) :]
    return _ASKED_OF.sub("", after).startswith(_DONT_KNOW)


_BREAK = re.compile(r"[\s，,。；;、]")
_CARD_DENIED = re.compile(r"证\s?(?:好像|应该|倒是|也|都)?\s?(?:没有|没得|莫得)(?!\S?办)")


def _card_beside_denial(reply: str, words: dict[str, tuple[str, ...]]) -> bool:
    """ "老伴还没去办证 儿子有残疾证": one member's card denied, another's held, in another clause
    (a card merely named, "残疾证 这个…", is the topic, not a card held)."""
    denial = re.compile("|".join(map(re.escape, words["no_card"])))
    spans = list(denial.finditer(reply))
    before = _BREAK.split(reply[: spans[0].start()])[:-1]
    after = _BREAK.split(reply[spans[-1].end() :])[1:]
    return any(
        w in clause
        and not negated(clause, w)
        and not has(clause, words["no_card"])
        and ("有" in clause or w not in _CARD_NAMES)
        for clause in (*before, *after)
        for w in words["disability_card"]
    )


_CARD_NAMES = ("残疾证", "残疾人证")


def read_disability_type(text: str) -> str | None:
    reply = heard(text)
    if "多重" in reply or "几样" in reply:
        return "multiple"
    found = first(reply, fact_words()["disability_types"])
    if found is None and any(w in reply for w in _DONT_KNOW):
        return "unknown"
    return found


_GRADE = re.compile(
    r"([一二两三四1-4]|iv|iii|ii|i)\s*(?:级|机|及|极|集|吉|等)|(?:等级|级别)(?:是)?\s*([一二两三四1-4])"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DONT_KNOW = (
    "记不清",
    "记不得",
    "不记得",
    "晓不得",
    "不晓得",
    "不知道",
    "不清楚",
    "忘了",
    "搞不清",
    "看不懂",
    "没看过",
)


def read_disability_grade(text: str) -> int | str | None:
    """1–4 (一级 … 四级, 二机 by sound, IV级, 等级是贰; the grade now when an earlier one is said first);
    "unknown" when the resident is unsure."""
    from bot.dialogs.answers.numbers import mend

    reply = now_said(mend(heard(text)))  # "原先是三级，后头重新评成二级了": the grade now
    if any(w in reply for w in _DONT_KNOW) or "还是" in reply:
        return "unknown"
    for match in _GRADE.finditer(reply):
        token = match.group(1) or match.group(2)
        value = _ROMAN.get(token) or {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}.get(token) or int(token)
        return value
    found = first(reply, fact_words()["grades"])
    return None if found is None else int(found)


def read_illness(text: str) -> dict[str, bool] | None:
    """{serious}: is the illness one of the serious kinds (cancer, 尿毒症, stroke …)?"""
    words, reply = fact_words()["health"], heard(text)
    if has(reply, words["not_serious"]) or (yes_no(text) is False and not has(reply, words["serious"])):
        return {"serious": False}
    if any(w in reply and not negated(reply, w) for w in words["serious"]):
        return {"serious": True}
    if has(reply, words["minor"]):
        return {"serious": False}
    if yes_no(text) is True and ("严重" in reply or "重" in reply):
        return {"serious": True}
    return None


def read_school(text: str, age: int | None = None) -> str | None:
    """none | preschool | primary | junior | senior | vocational | university."""
    groups, reply = fact_words()["school"], heard(text)
    if has(reply, groups["none"]) or yes_no(text) is False:
        return "none"
    stages = {k: v for k, v in groups.items() if k not in ("studying", "none")}
    grades = {k: tuple(w for w in v if _SCHOOL_GRADE.fullmatch(w)) for k, v in stages.items()}
    found = first(reply, grades) or first(reply, stages)  # "县一中 读初三": the grade says the stage
    if found is not None:
        return found
    if (has(reply, groups["studying"]) or yes_no(text) is True) and age is not None:
        return _stage_by_age(age)
    return None


_SCHOOL_GRADE = re.compile(r"[初高][一二三]|[一二三四五六七八九]年级")


def _stage_by_age(age: int) -> str | None:
    if age < 6:
        return "preschool"
    if age < 12:
        return "primary"
    if age < 15:
        return "junior"
    if age < 18:
        return "senior"
    return None  # an adult "in school" could be at a college or a vocational school: ask
