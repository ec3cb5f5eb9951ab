"""The household a resident describes, as plain immutable data.

Why: the chat questionnaire and the HTTP API both build the same `Household`, and the rules read
nothing else. Every answer defaults to `None`, meaning "unknown" (not asked, or the resident
skipped it); rules then answer `possible` instead of guessing. `HOUSEHOLD_DEFAULTS`,
`MEMBER_DEFAULTS` and `INCOME_DEFAULTS` are the one set of defaults the API models reuse.

Relations are given relative to the person answering (`applicant`); `kinship.py` derives how
members are related to whoever is assessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
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
    """What a member is to the person answering."""

    APPLICANT = "applicant"            # the person answering
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    PARENT_IN_LAW = "parent_in_law"    # 公婆、岳父母
    CHILD_IN_LAW = "child_in_law"      # 儿媳、女婿
    SIBLING_IN_LAW = "sibling_in_law"  # 嫂子、弟媳、姐夫、妹夫、大伯子、小姑子 …
    NEPHEW_NIECE = "nephew_niece"      # 侄子女、外甥(女)
    UNCLE_AUNT = "uncle_aunt"          # 叔伯、姑、舅、姨
    OTHER = "other"                    # a relative of a kind not given


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
    NONE = "none"  # not at school (null = not known)
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


class IncomeKind(StrEnum):
    """Kinds of income; how each programme counts them is data (`income_rules` in parameters.yaml)."""

    WAGES = "wages"                                # 工资、打工、零工
    FARMING = "farming"                            # 种地、养殖、林果卖的钱
    BUSINESS = "business"                          # 做生意、个体经营
    PROPERTY = "property"                          # 房租、利息、土地流转费
    FAMILY_SUPPORT = "family_support"              # 子女、亲属给的钱(赡养费)
    EMPLOYEE_PENSION = "employee_pension"          # 职工养老金(退休金)
    RESIDENTS_PENSION = "residents_pension"        # 城乡居民基本养老保险养老金
    MEDICAL_INSURANCE = "medical_insurance"        # 医保报销
    SPECIAL_CARE = "special_care"                  # 优待抚恤金
    FAMILY_PLANNING = "family_planning"            # 计划生育奖励与扶助金
    REWARD = "reward"                              # 奖学金、见义勇为等奖励
    ASSISTANCE = "assistance"                      # 低保金、特困供养金、临时救助等社会救助款物
    OLD_AGE_ALLOWANCE = "old_age_allowance"        # 高龄津贴
    DISABILITY_ALLOWANCE = "disability_allowance"  # 残疾人两项补贴
    OTHER = "other"


# Kinds earned with necessary costs the resident can state (seed, fertiliser, feed, stock, repairs).
COSTED_KINDS = frozenset({IncomeKind.FARMING, IncomeKind.BUSINESS, IncomeKind.PROPERTY})

E = TypeVar("E", bound=StrEnum)

PROGRAM_IDS: tuple[str, ...] = (
    "dibao", "tekun", "linshi", "yiliao", "jiaoyu", "zhufang", "jiuye",
    "shouzai", "canji_shenghuo", "canji_huli", "guer", "kunjing_ertong", "falv",
)
DISABILITY_GRADES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Income:
    """One kind of a member's monthly income. `costs_monthly` (COSTED_KINDS only) is what it takes
    to earn it; None = not known, so the net amount lies anywhere between 0 and `monthly`."""

    kind: IncomeKind
    monthly: float | None = None
    costs_monthly: float | None = None


@dataclass(frozen=True)
class Member:
    relation: Relation
    age: int | None = None
    disability_card: bool | None = None  # holds a disability card (implied by a type or grade)
    disability_type: DisabilityType | None = None
    disability_grade: int | None = None
    serious_illness: bool | None = None
    able_to_work: bool | None = None
    employed: bool | None = None
    in_school: Schooling | None = None
    monthly_income: float | None = None  # income as the rules count it, kind not given
    incomes: tuple[Income, ...] | None = None  # income by kind (adds to monthly_income)
    father: ParentStatus | None = None
    mother: ParentStatus | None = None
    hukou: Hukou | None = None  # this member's own 户籍 when it differs from the household's
    children_elsewhere: Supporter | None = None  # this member's children who live elsewhere
    grandchildren_elsewhere: Supporter | None = None  # … and adult grandchildren elsewhere

    @property
    def disabled(self) -> bool | None:
        """Holds a disability card: yes (a card, type or grade given), no, or not known."""
        if self.disability_type is not None or self.disability_grade is not None:
            return True
        return self.disability_card


@dataclass(frozen=True)
class Household:
    members: tuple[Member, ...]
    hukou: Hukou | None = None  # the person answering's 户籍 (and every member's without its own)
    area: Area | None = None
    residence_permit_years: float | None = None
    financial_assets: float | None = None
    homes: int | None = None
    vehicle_over_50k_bought_12m: bool | None = None
    non_residential_property: bool | None = None
    supporter: Supporter | None = None  # other legal supporters who live elsewhere
    current_programs: frozenset[str] | None = None
    housing: Housing | None = None
    disaster_affected: bool | None = None
    sudden_hardship: bool | None = None
    hardship_beyond_means: bool | None = None  # the household cannot get over it with its own means
    rigid_expense_monthly: float | None = None
    legal_issue: bool | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Household:
        """Build from the API/JSON shape; absent keys take the defaults above (unknown)."""
        unknown = set(data) - set(HOUSEHOLD_DEFAULTS) - {"members"}
        if unknown:
            raise ValueError(f"unknown household fields: {sorted(unknown)}")
        raw_members = data.get("members") or ()
        if not raw_members:
            raise ValueError("members: at least one member is required")
        values: dict[str, Any] = {k: v for k, v in data.items() if k != "members"}
        values["members"] = tuple(_member(m) for m in raw_members)
        for name, enum in (("hukou", Hukou), ("area", Area), ("supporter", Supporter), ("housing", Housing)):
            if values.get(name) is not None:
                values[name] = _enum(enum, values[name], name)
        if values.get("current_programs") is not None:
            programs = frozenset(values["current_programs"])
            if programs - set(PROGRAM_IDS):
                raise ValueError("current_programs: unknown programme id")
            values["current_programs"] = programs
        return cls(**values)


def _defaults(cls: type) -> dict[str, Any]:
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


HOUSEHOLD_DEFAULTS: dict[str, Any] = _defaults(Household)
MEMBER_DEFAULTS: dict[str, Any] = _defaults(Member)
INCOME_DEFAULTS: dict[str, Any] = _defaults(Income)


def _enum(enum: type[E], value: Any, name: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"{name}: not one of {[e.value for e in enum]}") from None


def _income(data: Mapping[str, Any] | Income) -> Income:
    if isinstance(data, Income):
        return data
    if set(data) - {"kind", *INCOME_DEFAULTS}:
        raise ValueError(f"unknown income fields: {sorted(set(data) - {'kind', *INCOME_DEFAULTS})}")
    kind = _enum(IncomeKind, data.get("kind"), "kind")
    if data.get("costs_monthly") is not None and kind not in COSTED_KINDS:
        raise ValueError(f"costs_monthly: only for {sorted(COSTED_KINDS)}")
    return Income(kind, data.get("monthly"), data.get("costs_monthly"))


def _member(data: Mapping[str, Any] | Member) -> Member:
    if isinstance(data, Member):
        return data
    extra = set(data) - set(MEMBER_DEFAULTS) - {"relation"}
    if extra:
        raise ValueError(f"unknown member fields: {sorted(extra)}")
    values = dict(data)
    values["relation"] = _enum(Relation, values.get("relation"), "relation")
    for name, enum in (("disability_type", DisabilityType), ("in_school", Schooling),
                       ("father", ParentStatus), ("mother", ParentStatus), ("hukou", Hukou),
                       ("children_elsewhere", Supporter), ("grandchildren_elsewhere", Supporter)):
        if values.get(name) is not None:
            values[name] = _enum(enum, values[name], name)
    if values.get("disability_grade") not in (None, *DISABILITY_GRADES):
        raise ValueError("disability_grade: must be 1-4 or null")
    if values.get("incomes") is not None:
        values["incomes"] = tuple(_income(item) for item in values["incomes"])
    return Member(**values)
