"""Facts about the household in free words: health, disability, school, work, help received,
emergencies, supporters.

Why: "没有 就是有点气管炎" is no serious illness; "儿子有残疾证 智力三级" is a disability card of a
known type and grade; "有个姑娘嫁出去了 她自己都难 管不了我" is a supporter who cannot support.
Each reader takes the reply and returns the value for its topic, or None when the reply does not
answer it; the words are in `facts.yaml`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import said, starts_with, yes_no
from bot.text import fold

FACTS_PATH = Path(__file__).with_name("facts.yaml")


@cache
def fact_words() -> dict[str, Any]:
    def folded(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): folded(v) for k, v in value.items()}
        return tuple(sorted((fold(str(w)) for w in value), key=len, reverse=True))

    return folded(yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8")))


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def _first(text: str, groups: dict[str, tuple[str, ...]]) -> str | None:
    """The group whose word appears earliest in the text."""
    hits = {
        name: min(text.find(w) for w in words if w in text)
        for name, words in groups.items()
        if _has(text, words)
    }
    return min(hits, key=hits.__getitem__) if hits else None


_NO_BEFORE = ("没有", "没得", "莫得", "没", "无", "不是", "没办")
_NO_AFTER = re.compile(r"^(?:证|人证)?(?:么|嘛|也|都|倒是|是)?(?:莫得|没得|没有|没|不是)")


def _negated(text: str, word: str) -> bool:
    """ "没有残疾", "大病么莫得": the word right after or right before a no-word."""
    at = text.find(word)
    if at < 0:
        return False
    return (
        any(text[:at].endswith(n) for n in _NO_BEFORE) or _NO_AFTER.match(text[at + len(word) :]) is not None
    )


def read_health(text: str) -> dict[str, bool | None] | None:
    """{disability, illness} for the household: a disability card (only a card counts), a serious
    illness (cancer, 尿毒症, stroke …; 气管炎 or 高血压 are not)."""
    words, reply = fact_words()["health"], heard(text)
    answer = yes_no(text)
    disability: bool | None = None
    illness: bool | None = None
    if _has(reply, words["no_card"]):
        disability = False
    elif any(w in reply and not _negated(reply, w) for w in (*words["disability_card"], "残疾")):
        disability = True  # "儿子是残疾": said so, in the words of the card
    elif "残疾" in reply:
        disability = False  # "残疾也莫得"
    serious = [w for w in words["serious"] if w in reply and not _negated(reply, w)]
    if serious and not _has(reply, words["not_serious"]):
        illness = True
    elif _has(reply, words["minor"]) or _has(reply, words["not_serious"]) or _has(reply, words["healthy"]):
        illness = False
    if answer is False or _has(reply, words["healthy"]) or re.search(r"别的(?:都)?(?:莫得|没得|没有)", reply):
        disability = False if disability is None else disability
        illness = False if illness is None else illness
    if (
        disability is None
        and answer is True
        and any(w in reply for w in words["disability"])
        and "证" in reply
    ):
        disability = True
    unclear = illness is None and _has(reply, words["ill_general"]) and answer is not False
    if disability is None and illness is None and not unclear:
        return None
    found: dict[str, bool | None] = {"disability": disability, "illness": illness}
    if unclear:
        found["ill_unclear"] = True  # someone is ill; whether it is serious is asked next
    return found


def read_disability_type(text: str) -> str | None:
    reply = heard(text)
    if "多重" in reply or "几样" in reply:
        return "multiple"
    found = _first(reply, fact_words()["disability_types"])
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
    """1–4 (一级 … 四级, 二机 by sound, IV级, 等级是贰); "unknown" when the resident is unsure."""
    from bot.dialogs.answers.numbers import mend

    reply = mend(heard(text))
    if any(w in reply for w in _DONT_KNOW) or "还是" in reply:
        return "unknown"
    for match in _GRADE.finditer(reply):
        token = match.group(1) or match.group(2)
        value = _ROMAN.get(token) or {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}.get(token) or int(token)
        return value
    found = _first(reply, fact_words()["grades"])
    return None if found is None else int(found)


def read_illness(text: str) -> dict[str, bool] | None:
    """{serious}: is the illness one of the serious kinds (cancer, 尿毒症, stroke …)?"""
    words, reply = fact_words()["health"], heard(text)
    if _has(reply, words["not_serious"]) or (yes_no(text) is False and not _has(reply, words["serious"])):
        return {"serious": False}
    if any(w in reply and not _negated(reply, w) for w in words["serious"]):
        return {"serious": True}
    if _has(reply, words["minor"]):
        return {"serious": False}
    if yes_no(text) is True and ("严重" in reply or "重" in reply):
        return {"serious": True}
    return None


def read_school(text: str, age: int | None = None) -> str | None:
    """none | preschool | primary | junior | senior | vocational | university."""
    groups, reply = fact_words()["school"], heard(text)
    if _has(reply, groups["none"]) or yes_no(text) is False:
        return "none"
    stages = {k: v for k, v in groups.items() if k not in ("studying", "none")}
    found = _first(reply, stages)
    if found is not None:
        return found
    if (_has(reply, groups["studying"]) or yes_no(text) is True) and age is not None:
        return _stage_by_age(age)
    return None


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


def read_work(text: str) -> bool | list[str] | None:
    """Who earns: the relations of those who do ("self" for the resident; farming and odd jobs
    count), False when nobody does, True when someone does and the reply does not say who."""
    from bot.dialogs.answers.members_words import mentions

    groups, reply = fact_words()["work"], heard(text)
    clauses = [c for c in re.split(r"[\s，,。；;、]+", reply) if c]
    earners: list[str] = []
    subject = None
    nobody = False
    for clause in clauses:
        named = [m.relation for m in mentions(clause) if not m.self_description]
        subjects = named or (["self"] if "我" in clause else [subject] if subject else [])
        if named and re.search(r"我(?:和|跟)", clause):
            subjects = ["self", *named]
        subject = subjects[-1] if subjects else subject
        working = _has(clause, groups["working"])
        idle = _has(clause, groups["not_working"])
        if clause.startswith(("没人", "没有人", "没得人", "莫得人")):
            nobody = True
        elif working and not (
            idle
            and clause.find(_first_of(clause, groups["not_working"]))
            < clause.find(_first_of(clause, groups["working"]))
        ):
            earners += subjects or ["self"]
        elif idle and not subjects:
            nobody = True
    if earners:
        return sorted(dict.fromkeys(earners))  # "self" is the resident
    if nobody or _has(reply, groups["not_working"]):
        return False
    said_ = yes_no(text)
    return said_ if said_ is not None else None


def _first_of(text: str, words: tuple[str, ...]) -> str:
    return min((w for w in words if w in text), key=text.find, default="")


def read_current(text: str) -> list[str] | None:
    """Programmes the household already receives: dibao, tekun, disability_allowance, orphan; [] for none.
    Help that was stopped ("以前吃过低保 后来取消了") is not received now."""
    groups, reply = fact_words()["current"], heard(text)
    found: set[str] = set()
    for clause in re.split(r"[，,。；;]+|\s(?=以前|原来|去年|后来|现在|还有|可是|但是)", reply):
        now = {
            name
            for name, words in groups.items()
            if name != "past" and any(w in clause and not _negated(clause, w) for w in words)
        }
        if "残疾" in clause and any(w in clause for w in ("补", "钱", "块", "每个月", "那个")):
            now.add("disability_allowance")
        if _has(clause, groups["past"]) and not _has(clause, ("现在", "还在", "还吃", "还领", "还有")):
            continue
        found |= now
    if found:
        return sorted(found)
    if (
        yes_no(text) is False
        or _has(reply, groups["past"])
        or re.search(r"莫得|没得|没有|都没|哪样都", reply)
    ):
        return []
    return None


def read_emergency(text: str) -> list[str] | None:
    """Sudden hardships: disaster, fire, accident, illness, medical_bill, education_bill, death, legal; [].
    A hospital stay is a medical bill only when a cost is said."""
    groups, reply = fact_words()["emergency"], heard(text)
    found = {
        name
        for name, words in groups.items()
        if name not in ("none", "cost") and any(w in reply and not _negated(reply, w) for w in words)
    }
    if "death" in found and not _someone_died(reply):
        found.discard("death")  # 甘蔗死了, 猪压死了: not a person
    if (
        "accident" in found
        and "illness" in found
        and not any(w in reply for w in ("病", "癌", "中风", "梗", "肿瘤", "尿毒"))
    ):
        found.discard("illness")  # 摔了 住院: the accident, not an illness
    if found & {"illness", "accident"} and _has(reply, groups["cost"]):
        found.add("medical_bill")
    if found:
        return sorted(found)
    if yes_no(text) is False or said(text) in groups["none"] or starts_with(said(text), "no"):
        return []
    if _NOTHING_HAPPENED.search(said(text)):
        return []  # "还好 最近莫得出啥事": nothing happened, however it is put
    return None


# A denied happening: 没出啥事, 莫得哪样事, 没发生什么事, 没遇到过什么大事.
_NOTHING_HAPPENED = re.compile(
    r"(?:没|莫|冇)(?:得|有)?(?:出|发生|遇到|碰到|遭)?(?:过)?(?:啥子?|哪样|什么|么子)?(?:大)?(?:事|情况)"
)


def _someone_died(reply: str) -> bool:
    from bot.dialogs.answers.members_words import mentions

    words = fact_words()["emergency"]["death"]
    for word in words:
        at = reply.find(word)
        if at > 0 and (mentions(reply[max(0, at - 12) : at]) or "人" in reply[max(0, at - 3) : at]):
            return True
    return False


def read_supporters(text: str) -> dict[str, bool | None] | None:
    """{exists, can_support}: children (or grandchildren) living elsewhere who must support the
    household. Anyone giving money can support; poor, ill or disabled ones cannot; "不管我" alone
    says nothing about ability; nephews and in-laws have no duty."""
    from bot.dialogs.answers.members import read_household

    groups, reply = fact_words()["supporters"], heard(text)
    answer = yes_no(text)
    house = read_household(text)
    people = [*house.members, *house.gone]
    living = [p for p in people if p.relation in ("child", "grandchild") and p.gone != "dead"]
    counted = re.match(r"^有[一二两三四五六七八九\d]个", reply) is not None
    if not living and (
        house.nobody
        or (people and all(p.gone == "dead" or p.relation not in ("child", "grandchild") for p in people))
        or (answer is False and not counted)
    ):
        return {"exists": False, "can_support": None}
    if not (living or counted or _has(reply, groups["duty"])):
        if _has(reply, groups["none"]) or answer is False:
            return {"exists": False, "can_support": None}
        if answer is not True:
            return None
    gives = (
        _said(reply, groups["gives"])
        or re.search(r"(?:给|寄|打)(?:了|过)?(?:我|回来)?[一二两三四五六七八九十百千\d]", reply) is not None
    )
    if _said(reply, groups["unable"]) and not gives:
        return {"exists": True, "can_support": False}
    if gives or _said(reply, groups["able"]):
        return {"exists": True, "can_support": True}
    return {"exists": True, "can_support": None}


def _said(reply: str, words: tuple[str, ...]) -> bool:
    """A word said and not denied just before ("没有哪个能管" does not say 能管)."""
    for word in words:
        at = reply.find(word)
        while at != -1:
            if not reply[max(0, at - 4) : at].endswith(
                ("没", "没有", "不", "没人", "没有哪个", "哪个", "没得")
            ):
                return True
            at = reply.find(word, at + 1)
    return False
