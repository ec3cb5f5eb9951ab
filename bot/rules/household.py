"""The household a resident describes, as plain immutable data.

Why: the chat questionnaire and the HTTP API both build the same `Household`, and the rules read
nothing else. `None` on any answer means "unknown" (the resident skipped it); rules then answer
`possible` instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar


class Hukou(StrEnum):
    YUANJIANG = "yuanjiang"
    YUNNAN_OTHER = "yunnan_other"
    OUTSIDE_YUNNAN = "outside_yunnan"


class Area(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class Relation(StrEnum):
    APPLICANT = "applicant"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    OTHER = "other"


class DisabilityType(StrEnum):
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    VISUAL = "visual"
    HEARING = "hearing"
    SPEECH = "speech"
    MULTIPLE = "multiple"
    UNKNOWN = "unknown"  # has a disability card, type not given: rules answer `possible`, not `unlikely`


class Schooling(StrEnum):
    PRESCHOOL = "preschool"
    COMPULSORY = "compulsory"
    HIGH_SCHOOL = "high_school"
    VOCATIONAL = "vocational"
    COLLEGE = "college"


class ParentStatus(StrEnum):
    ABLE = "able"
    DECEASED = "deceased"
    MISSING = "missing"
    INCARCERATED = "incarcerated"
    DISABLED_OR_ILL = "disabled_or_ill"


class Supporter(StrEnum):
    NONE = "none"
    UNABLE = "unable"
    ABLE = "able"


class Housing(StrEnum):
    SAFE = "safe"
    DANGEROUS = "dangerous"
    NONE = "none"


E = TypeVar("E", bound=StrEnum)

PROGRAM_IDS: tuple[str, ...] = (
    "dibao", "tekun", "linshi", "yiliao", "jiaoyu", "zhufang", "jiuye",
    "shouzai", "canji_shenghuo", "canji_huli", "guer", "kunjing_ertong", "falv",
)
DISABILITY_GRADES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Member:
    relation: Relation
    age: int | None = None
    disability_type: DisabilityType | None = None
    disability_grade: int | None = None
    serious_illness: bool | None = False
    able_to_work: bool | None = None
    employed: bool | None = False
    in_school: Schooling | None = None
    monthly_income: float | None = 0
    father: ParentStatus | None = ParentStatus.ABLE
    mother: ParentStatus | None = ParentStatus.ABLE

    @property
    def disabled(self) -> bool:
        return self.disability_type is not None or self.disability_grade is not None


@dataclass(frozen=True)
class Household:
    members: tuple[Member, ...]
    hukou: Hukou | None = Hukou.YUANJIANG
    area: Area | None = Area.RURAL
    residence_permit_years: float | None = 0
    financial_assets: float | None = 0
    homes: int | None = 1
    vehicle_over_50k_bought_12m: bool | None = False
    non_residential_property: bool | None = False
    supporter: Supporter | None = Supporter.ABLE
    current_programs: frozenset[str] = field(default_factory=frozenset)
    housing: Housing | None = Housing.SAFE
    disaster_affected: bool | None = False
    sudden_hardship: bool | None = False
    rigid_expense_monthly: float | None = 0
    legal_issue: bool | None = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Household:
        """Build from the API/JSON shape (issue 4); absent keys take the defaults above."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown household fields: {sorted(unknown)}")
        raw_members = data.get("members") or ()
        if not raw_members:
            raise ValueError("members: at least one member is required")
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known and k != "members"}
        values["members"] = tuple(_member(m) for m in raw_members)
        for name, enum in (("hukou", Hukou), ("area", Area), ("supporter", Supporter), ("housing", Housing)):
            if values.get(name) is not None:
                values[name] = _enum(enum, values[name], name)
        programs = frozenset(values.get("current_programs") or ())
        if programs - set(PROGRAM_IDS):
            raise ValueError("current_programs: unknown programme id")
        values["current_programs"] = programs
        return cls(**values)


def _enum(enum: type[E], value: Any, name: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"{name}: not one of {[e.value for e in enum]}") from None


def _member(data: Mapping[str, Any]) -> Member:
    if isinstance(data, Member):
        return data
    known = {f.name for f in fields(Member)}
    if set(data) - known:
        raise ValueError(f"unknown member fields: {sorted(set(data) - known)}")
    values = dict(data)
    values["relation"] = _enum(Relation, values.get("relation"), "relation")
    for name, enum in (("disability_type", DisabilityType), ("in_school", Schooling),
                       ("father", ParentStatus), ("mother", ParentStatus)):
        if values.get(name) is not None:
            values[name] = _enum(enum, values[name], name)
    if values.get("disability_grade") not in (None, *DISABILITY_GRADES):
        raise ValueError("disability_grade: must be 1-4 or null")
    return Member(**values)
