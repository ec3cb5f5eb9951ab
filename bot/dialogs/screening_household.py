"""The household the answers describe, and the rules' request it amounts to.

Why: answers are stored per step as plain JSON (`household`, `school:2`, `income` …) and replayed
every turn, so `返回`, `修改` and corrections never leave stale facts behind. `Draft` gathers them
into one household (the resident is member 0); `request()` is the `/api/v1/screen` shape with
`None` for everything not (yet) known, so the rules answer `possible` rather than guess. This is
the one place that maps the questionnaire's topics onto the rules' inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.dialogs.answers.members_words import PARENT_STATUS
from bot.dialogs.screening_questions import questionnaire

SCHOOLING = {
    "preschool": "preschool",
    "primary": "compulsory",
    "junior": "compulsory",
    "senior": "high_school",
    "vocational": "vocational",
    "university": "college",
    "none": "none",
}
CURRENT = {"dibao": "dibao", "tekun": "tekun", "disability_allowance": "canji_shenghuo", "orphan": "guer"}
SUDDEN = {"fire", "accident", "illness", "death"}


@dataclass
class Person:
    relation: str
    word: str
    age: int | None = None
    away: bool = False
    disabled: bool | None = False
    disability_type: str | None = None
    disability_grade: int | None = None
    ill: bool | None = False
    ill_unclear: bool = False
    school: str | None = None
    works: bool | None = None
    parents: dict[str, str | None] | None = None


@dataclass
class Draft:
    as_of: date
    answers: Mapping[str, Any]
    members: list[Person] = field(default_factory=list)
    gone: list[dict[str, Any]] = field(default_factory=list)

    def get(self, step: str) -> Any:
        return self.answers.get(step)

    def answered(self, step: str) -> bool:
        return step in self.answers

    # -- people ---------------------------------------------------------------------------------

    def who(self, index: int) -> str:
        """How a question names member `index` ("您", "您的儿子（35岁）")."""
        if index == 0:
            return "您"
        person = self.members[index]
        return f"您的{person.word}（{person.age}岁）" if person.age is not None else f"您的{person.word}"

    def labels(self) -> list[str]:
        """Numbered options for "who" questions: the resident first."""
        return ["我自己", *[self.who(i).removeprefix("您的") for i in range(1, len(self.members))]]

    def school_age(self) -> list[int]:
        low, high = questionnaire().ages["school_from"], questionnaire().ages["school_to"]
        return [
            i
            for i, p in enumerate(self.members)
            if (p.age is not None and low <= p.age <= high and i > 0)
            or (i == 0 and p.age is not None and low <= p.age <= 18)
        ]

    def minors_without_parents(self) -> list[int]:
        """Members under 18 (the resident too) whose parents' situation neither the household answer
        nor a question gave."""
        return [
            i for i, p in enumerate(self.members) if p.age is not None and p.age < 18 and p.parents is None
        ]

    # -- the rules' request ---------------------------------------------------------------------

    def request(self) -> dict[str, Any]:
        place = self.get("place") or {}
        hukou = place.get("hukou") if place else None
        request: dict[str, Any] = {
            "hukou": hukou,
            "area": place.get("area") if place else None,
            "residence_permit_years": self.get("permit") if hukou == "yunnan_other" else 0,
            "members": [self._member(i, p) for i, p in enumerate(self.members)],
            "financial_assets": _point(self.get("savings")),
            "supporter": self._supporter(),
            "current_programs": None
            if not self.answered("current") or self.get("current") is None
            else sorted({CURRENT[c] for c in self.get("current") if c in CURRENT}),
            **self._property(),
            **self._hardship(),
        }
        return request

    def _earners(self) -> list[int]:
        """Who the household's income is put on: those said to work, else the resident."""
        working = [i for i, p in enumerate(self.members) if p.works]
        return working or [0]

    def _member(self, index: int, person: Person) -> dict[str, Any]:
        total = _point(self.get("income")) if self.answered("income") else None
        earners = self._earners()
        income = None if total is None else round(total / len(earners), 2) if index in earners else 0
        return {
            "relation": "applicant" if index == 0 else person.relation,
            "age": person.age,
            "disability_card": person.disabled,
            "disability_type": (person.disability_type or "unknown") if person.disabled else None,
            "disability_grade": person.disability_grade if person.disabled else None,
            "serious_illness": person.ill,
            "able_to_work": None,
            "employed": person.works,
            "in_school": SCHOOLING.get(person.school) if person.school else None,
            "monthly_income": income,
            "father": (person.parents or {}).get("father", "able") if person.parents is not None else None,
            "mother": (person.parents or {}).get("mother", "able") if person.parents is not None else None,
        }

    def _supporter(self) -> str | None:
        said = self.get("supporters")
        if isinstance(said, dict):
            if not said.get("exists"):
                return "none"
            return {True: "able", False: "unable", None: None}[said.get("can_support")]
        return None

    def _property(self) -> dict[str, Any]:
        house, car = self.get("house"), self.get("car")
        homes = house["count"] if isinstance(house, dict) else None
        housing = None
        if isinstance(house, dict):
            housing = "none" if homes == 0 else house.get("condition") or "safe"
        return {
            "homes": homes,
            "housing": housing,
            "vehicle_over_50k_bought_12m": car["car"] if isinstance(car, dict) else None,
            "non_residential_property": car["business"] if isinstance(car, dict) else None,
        }

    def _hardship(self) -> dict[str, Any]:
        events = self.get("emergency")
        medical = _point(self.get("medical_spending"))
        known = isinstance(events, list)
        return {
            "disaster_affected": ("disaster" in events) if known else None,
            "sudden_hardship": bool(SUDDEN & set(events)) if known else None,
            "legal_issue": ("legal" in events) if known else None,
            "rigid_expense_monthly": None if medical is None else round(medical / 12, 2),
        }


def _point(value: Any) -> float | None:
    if isinstance(value, dict) and "low" in value:
        return round((value["low"] + value["high"]) / 2, 2)
    return None


# Questions asked together, as a caseworker asks them, and the topics each one's parts answer.
TOGETHER: dict[str, tuple[str, ...]] = {
    "earnings": ("work", "income"),
    "property": ("savings", "house", "car"),
    "hardship": ("emergency", "medical_spending"),
}
PART_OF = {part: group for group, parts in TOGETHER.items() for part in parts}


def _spread(answers: Mapping[str, Any]) -> Mapping[str, Any]:
    """A together-question's parts as the answers to their own topics (savings, house, car …);
    their own questions, if asked after, win."""
    spread: dict[str, Any] = {}
    for group, parts in TOGETHER.items():
        together = answers.get(group)
        if isinstance(together, dict):
            spread.update({k: v for k, v in together.items() if k in parts})
    return {**spread, **answers} if spread else answers


def build(answers: Mapping[str, Any], as_of: date) -> Draft:
    """The household as the answers so far describe it."""
    answers = _spread(answers)
    draft = Draft(as_of, answers)
    draft.members = [Person("applicant", "您", age=answers.get("age"))]
    household = answers.get("household")
    if isinstance(household, dict):
        if draft.members[0].age is None and household.get("self_age") is not None and "age" not in answers:
            draft.members[0].age = household["self_age"]
        for raw in household["members"]:
            draft.members.append(Person(raw["relation"], raw["word"], raw.get("age"), bool(raw.get("away"))))
        draft.gone = list(household.get("gone", []))
    for key, age in (answers.get("ages") or {}).items():
        if int(key) < len(draft.members) and age is not None:
            draft.members[int(key)].age = age
    for index, person in enumerate(draft.members):
        if index and f"member_age:{index}" in answers:
            person.age = answers[f"member_age:{index}"]
    _health(draft)
    schools = answers.get("schools") or {}
    for index, person in enumerate(draft.members):
        person.school = answers.get(f"school:{index}", schools.get(str(index)))
        if f"parents:{index}" in answers:
            person.parents = answers[f"parents:{index}"] or {"father": None, "mother": None}
    _parents_from_household(draft)
    _work(draft)
    return draft


def _health(draft: Draft) -> None:
    """Who holds a disability card and who is seriously ill: yes, no, or not known (None)."""
    answers = draft.answers
    asked = "health" in answers
    health = dict(answers.get("health") or {})
    if asked and health:  # told about one of the two: nothing else to tell
        if health.get("illness") is None and not health.get("ill_unclear") and health.get("disability"):
            health["illness"] = False
        if health.get("disability") is None and (health.get("illness") or health.get("ill_unclear")):
            health["disability"] = False
    single = len(draft.members) == 1
    unclear = bool(health.get("ill_unclear"))
    named = answers.get("disabled_who") or ([0] if single and health.get("disability") else [])
    ill = answers.get("ill_who") or ([0] if single and (health.get("illness") or unclear) else [])
    who_open = not single and "disabled_who" not in answers
    for index, person in enumerate(draft.members):
        if index in named:
            person.disabled = True  # named with a card, in a story ("儿子有残疾证") or when asked who
        elif not asked or health.get("disability") is None or (health.get("disability") and who_open):
            person.disabled = None
        else:
            person.disabled = False
        person.disability_type = answers.get(f"disability_type:{index}")
        person.disability_grade = answers.get(f"disability_grade:{index}")
        if index in ill:
            person.ill = True
            if unclear and not health.get("illness"):
                person.ill_unclear = True
                said = answers.get(f"illness:{index}")
                person.ill = None if said is None else bool(said.get("serious"))
        elif (
            not asked
            or (health.get("illness") is None and not unclear)
            or ((health.get("illness") or unclear) and not single and "ill_who" not in answers)
        ):
            person.ill = None
        else:
            person.ill = False


def _parents_from_household(draft: Draft) -> None:
    """A child's parents from the household answer: the resident and the spouse (or the gone
    spouse), or, for grandchildren, the resident's gone children and their spouses."""
    spouse = next((p for p in draft.members if p.relation == "spouse"), None)
    gone = {g["relation"]: g["why"] for g in draft.gone}
    for person in draft.members[1:]:
        if person.parents is not None or person.age is None or person.age >= 18:
            continue
        if person.relation == "child":
            other = "able" if spouse is not None else PARENT_STATUS.get(gone.get("spouse", ""))
            if other is not None:
                person.parents = {"father": "able", "mother": other}
        elif person.relation == "grandchild" and ("child" in gone or "child_in_law" in gone):
            first = PARENT_STATUS.get(gone.get("child", ""))
            second = PARENT_STATUS.get(gone.get("child_in_law", ""))
            if first is not None and second is not None:
                person.parents = {"father": first, "mother": second}


def _work(draft: Draft) -> None:
    said = draft.get("work")
    if "work" not in draft.answers:
        return
    for index, person in enumerate(draft.members):
        if isinstance(said, list):
            person.works = ("self" if index == 0 else person.relation) in said
        elif said is None:
            person.works = None
        else:
            person.works = bool(said) if index == 0 else (False if not said else None)
