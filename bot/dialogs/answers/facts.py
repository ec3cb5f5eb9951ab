"""Facts about the household in free words: health, disability, school, work, help received,
emergencies, supporters.

Why: "没有 就是有点气管炎" is no serious illness; "儿子有残疾证 智力三级" is a disability card of a
known type and grade; "有个姑娘嫁出去了 她自己都难 管不了我" is a supporter who cannot support.
Each reader takes the reply and returns the value for its topic, or None when the reply does not
answer it; the words are in `facts.yaml`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs.answers.vocabulary import said, starts_with, yes_no
from bot.dialogs.answers.pinyin import heard
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
    hits = {name: min(text.find(w) for w in words if w in text) for name, words in groups.items()
            if _has(text, words)}
    return min(hits, key=hits.__getitem__) if hits else None


def _negated(text: str, word: str) -> bool:
    """"没有残疾" / "没得残疾证": the word right after a no-word."""
    at = text.find(word)
    return at > 0 and any(text[:at].endswith(n) for n in ("没有", "没得", "莫得", "没", "无", "不是", "没办"))


def read_health(text: str) -> dict[str, bool | None] | None:
    """{disability, illness} for the household: a disability card, a serious illness."""
    words, reply = fact_words()["health"], heard(text)
    answer = yes_no(text)
    disability: bool | None = None
    illness: bool | None = None
    mentions_disability = [w for w in words["disability"] if w in reply]
    if mentions_disability:
        negated = all(_negated(reply, w) for w in mentions_disability)
        no_card = _has(reply, words["no_card"])
        disability = False if negated or (no_card and not _has(reply, words["disability_card"][1:])) else True
    serious = [w for w in words["serious"] if w in reply and not _negated(reply, w)]
    if serious and not _has(reply, words["not_serious"]):
        illness = True
    elif _has(reply, words["minor"]) or _has(reply, words["not_serious"]) or _has(reply, words["healthy"]):
        illness = False
    if answer is False or _has(reply, words["healthy"]):
        disability = False if disability is None else disability
        illness = False if illness is None else illness
    unclear = illness is None and _has(reply, words["ill_general"]) and answer is not False
    if disability is None and illness is None and not unclear:
        return None
    found: dict[str, bool | None] = {"disability": disability, "illness": illness}
    if unclear:
        found["ill_unclear"] = True  # someone is ill; whether it is serious is asked next
    return found


def read_disability_type(text: str) -> str | None:
    return _first(heard(text), fact_words()["disability_types"])


def read_disability_grade(text: str) -> int | None:
    found = _first(heard(text), fact_words()["grades"])
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
    stages = {k: v for k, v in groups.items() if k not in ("studying", "none")}
    found = _first(reply, stages)
    if found is not None:
        return found
    if _has(reply, groups["none"]) or yes_no(text) is False:
        return "none"
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


def read_work(text: str) -> bool | None:
    """Does anyone in the household work now (or can they)?"""
    groups, reply = fact_words()["work"], heard(text)
    if _has(reply, groups["not_working"]):
        return False
    if _has(reply, groups["working"]):
        return True
    return yes_no(text)


def read_current(text: str) -> list[str] | None:
    """Programmes the household already receives: dibao, tekun, disability_allowance, orphan; [] for none."""
    groups, reply = fact_words()["current"], heard(text)
    if _has(reply, groups["past"]) and not _has(reply, ("现在", "还在", "还吃", "还领")):
        return [] if yes_no(text) is not True else None
    found = [name for name, words in groups.items() if name != "past"
             and any(w in reply and not _negated(reply, w) for w in words)]
    if found:
        return sorted(found)
    return [] if yes_no(text) is False else None


def read_emergency(text: str) -> list[str] | None:
    """Sudden hardships: disaster, fire, accident, illness, medical_bill, education_bill, death, legal; []."""
    groups, reply = fact_words()["emergency"], heard(text)
    found = [name for name, words in groups.items() if name != "none"
             and any(w in reply and not _negated(reply, w) for w in words)]
    if found:
        return sorted(found)
    if yes_no(text) is False or said(text) in groups["none"] or starts_with(said(text), "no"):
        return []
    return None


def read_supporters(text: str) -> dict[str, bool | None] | None:
    """{exists, can_support}: children or others with a duty of support living elsewhere."""
    groups, reply = fact_words()["supporters"], heard(text)
    answer = yes_no(text)
    if _has(reply, groups["unable"]):
        return {"exists": True, "can_support": False}
    exists_word = _has(reply, groups["exists"]) and not reply.startswith(("没有", "没得", "莫得"))
    if _has(reply, groups["none"]) and not exists_word:
        return {"exists": False, "can_support": None}
    if _has(reply, groups["able"]):
        return {"exists": True, "can_support": True}
    if exists_word or answer is True:
        return {"exists": True, "can_support": None}
    if answer is False:
        return {"exists": False, "can_support": None}
    return None
