"""Every fact a reply gives, not only the one asked: a whole story in one message.

Why: "我今年都七十四了 一个人住在山上 老伴走得早 没儿没女" answers the age question and also says
who lives in the household, that the husband is dead and that nobody must support her; asking
those again wastes an elderly resident's patience. `extras` returns, for a reply to `step`, the
answers it also gives to other steps not answered yet. Only clear statements count: a fact that
could be misheard is left for its own question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.dialogs.answers import facts, places
from bot.dialogs.answers.kinds import Ask, kind
from bot.dialogs.answers.members import Household, read_household
from bot.dialogs.answers.members_words import relation_words
from bot.dialogs.answers.money import Amount, read_amount
from bot.dialogs.answers.numbers import find_numbers
from bot.dialogs.screening_household import Draft
from bot.text import fold

_INCOME_CUES = (
    "工资",
    "挣",
    "收入",
    "卖",
    "落得",
    "落下",
    "一个月",
    "每个月",
    "一年",
    "给我",
    "打回来",
    "寄",
)
_SUPPORT_CUES = ("管不了", "顾不", "自己都", "不管", "养我", "给钱", "打钱", "寄钱", "管我", "给我")


def extras(step: str, text: str, answers: Mapping[str, Any], draft: Draft, ask: Ask) -> dict[str, Any]:
    """Answers to other, still open steps that this reply to `step` also gives."""
    topic = step.partition(":")[0]
    found: dict[str, Any] = {}
    folded = fold(text)
    if topic == "household":
        found.update(_members_facts(answers.get(step) or {}, folded, draft, answers))
    elif "household" not in answers and topic in ("age", "place", "story"):
        house = read_household(text)
        described = house.nobody or len(house.members) + len(house.gone) >= 2 or any(
            m.age is not None for m in house.members)
        if topic == "story":  # told before 自测, often about one person: only a whole household
            described = whole_household(folded, house)
        if described:  # a whole household, not a person named on the way ("老公是那诺的")
            found["household"] = house.to_json()
            found.update(_members_facts(found["household"], folded, draft, answers))
    if topic == "health":
        found.update(_health_who(text, draft, answers))
    if "age" not in answers and topic != "age":
        age = read_household(text).self_age
        if age is not None:
            found["age"] = age
    if topic == "story":  # a question asked before 自测 ("元江低保一个月多少钱") is no answer
        return {k: v for k, v in found.items() if k not in answers}  # beyond who lives there
    if "place" not in answers and topic not in ("place", "township", "village"):
        place = places.read_place(text) if ("户口" in folded or "元江" in folded) else None
        if place is not None:
            found["place"] = place
    if (
        "income" not in answers
        and topic not in ("income", "savings", "medical_spending", "pension")
        and sum(cue in folded for cue in _INCOME_CUES) >= 2
    ):
        amount = read_amount(text, "month", ask.size)
        if isinstance(amount, Amount) and amount.high > 0:
            found["income"] = amount.stored()
    if "supporters" not in answers and topic != "supporters" and any(c in folded for c in _SUPPORT_CUES):
        said = facts.read_supporters(text)
        if said is not None and said["exists"]:
            found["supporters"] = said
    return {k: v for k, v in found.items() if k not in answers and k != step}


def whole_household(folded: str, house: Household) -> bool:
    """Whether a story names everyone in the household: a size it states fits the people named
    ("我家三口人 我 老婆 一个儿子"), or it says it is just the resident and them ("就我和我姑娘"),
    or just the resident ("离了婚一个人住"). "就我们两个" beside three people named is not."""
    vocab = relation_words()
    compact = re.sub(r"\s+", "", folded)
    size = len(house.members) + 1
    totals = [
        int(n.low)
        for n in find_numbers(compact)
        if n.low == n.high
        and any(w in compact[max(0, n.start - 4) : n.start] for w in vocab["household_count"])
        and (
            compact[n.end : n.end + 2].startswith(("口人", "口", "个人"))
            or (compact[n.end : n.end + 1] == "个" and "我们" in compact[max(0, n.start - 4) : n.start])
        )
    ]
    if totals:
        return all(total == size for total in totals)
    if any(w in compact for w in vocab["whole"]):
        return bool(house.members)
    return house.nobody and not house.members


def _members_facts(
    household: Mapping[str, Any], folded: str, draft: Draft, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Facts about each member said in the household reply (a disability, an illness, school)."""
    found: dict[str, Any] = {}
    house = read_household(folded)
    if house.self_age is not None:
        found["age"] = house.self_age
    disabled, ill = [], []
    for index, person in enumerate(house.members, start=1):
        health = facts.read_health(person.text) if person.text else None
        if health and health.get("disability"):
            disabled.append(index)
            kind_ = facts.read_disability_type(person.text)
            grade = facts.read_disability_grade(person.text)
            if kind_:
                found[f"disability_type:{index}"] = kind_
            if grade:
                found[f"disability_grade:{index}"] = grade
        if health and health.get("illness"):
            ill.append(index)
        school = (
            facts.read_school(person.text, person.age)
            if person.age is not None and person.age <= 24
            else None
        )
        if (
            school is not None
            and school != "none"
            and any(w in person.text for w in ("读", "学", "级", "园"))
        ):
            found[f"school:{index}"] = school
    if disabled:
        found["disabled_who"] = disabled
    if ill:
        found["ill_who"] = ill
    children_away = [
        g
        for g in house.gone
        if g.relation in ("child", "grandchild") and g.gone in ("lives_elsewhere", "married_out")
    ]
    if children_away and any(c in folded for c in _SUPPORT_CUES):
        said = facts.read_supporters(folded)
        if said is not None:
            found["supporters"] = said
    elif house.nobody and any(w in folded for w in ("没儿没女", "无儿无女", "没有儿女", "没有子女")):
        found["supporters"] = {"exists": False, "can_support": None}
    return found


def _health_who(text: str, draft: Draft, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Who a health reply is about ("儿子有残疾证 智力三级"), and the card's type and grade."""
    value = answers.get("health") or kind("health").parse(text, Ask(draft.as_of))
    health = getattr(value, "value", value)
    if not isinstance(health, dict) or len(draft.members) < 2:
        return {}
    found: dict[str, Any] = {}
    folded = fold(text)
    named = [i for i, p in enumerate(draft.members) if i and p.word in folded]
    if "我" in folded.replace("我们", "").replace("我家", "") and not named:
        named = [0]
    if health.get("disability") and len(named) == 1:
        found["disabled_who"] = named
        if facts.read_disability_type(folded):
            found[f"disability_type:{named[0]}"] = facts.read_disability_type(folded)
        if facts.read_disability_grade(folded):
            found[f"disability_grade:{named[0]}"] = facts.read_disability_grade(folded)
    if (health.get("illness") or health.get("ill_unclear")) and len(named) == 1:
        found["ill_who"] = named
    return found
