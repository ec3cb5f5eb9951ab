"""`POST /api/v1/screen`: a household in, every programme's self-check result out (issue 4).

Why: other front ends (H5 page, caseworker tools) need the same answer as the chat questionnaire,
so this router only validates the request and calls `bot.rules.screen`. Validation is strict
(no "45" for an age, no "yes" for a boolean): a 422 names the offending field in `detail[].loc`.
An absent or `null` answer means "unknown" and makes the affected programmes `possible`; the
defaults are the rules' own (`bot.rules.household`), never a guessed "no".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, model_validator

from bot import clock
from bot.rules import Household, screen
from bot.rules.household import (
    COSTED_KINDS,
    HOUSEHOLD_DEFAULTS,
    INCOME_DEFAULTS,
    MEMBER_DEFAULTS,
    Area,
    DisabilityType,
    Housing,
    Hukou,
    IncomeKind,
    ParentStatus,
    Relation,
    Schooling,
    Supporter,
)

router = APIRouter()

Age = Annotated[StrictInt, Field(ge=0, le=130)]
Yuan = Annotated[StrictFloat, Field(ge=0, le=100_000_000, allow_inf_nan=False)]
Grade = Annotated[StrictInt, Field(ge=1, le=4)]
ProgramId = Literal[
    "dibao", "tekun", "linshi", "yiliao", "jiaoyu", "zhufang", "jiuye",
    "shouzai", "canji_shenghuo", "canji_huli", "guer", "kunjing_ertong", "falv",
]
Status = Literal["likely", "possible", "unlikely"]


M, H = MEMBER_DEFAULTS, HOUSEHOLD_DEFAULTS


class IncomeIn(BaseModel):
    """One kind of a member's monthly income; costs only for farming, business and property."""

    model_config = ConfigDict(extra="forbid")

    kind: IncomeKind
    monthly: Yuan | None = INCOME_DEFAULTS["monthly"]
    costs_monthly: Yuan | None = INCOME_DEFAULTS["costs_monthly"]

    @model_validator(mode="after")
    def _costs_for_costed_kinds(self) -> IncomeIn:
        if self.costs_monthly is not None and self.kind not in COSTED_KINDS:
            raise ValueError(f"costs_monthly is only for {sorted(k.value for k in COSTED_KINDS)}")
        return self


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    relation: Relation
    age: Age | None = M["age"]
    disability_card: StrictBool | None = M["disability_card"]
    disability_type: DisabilityType | None = M["disability_type"]
    disability_grade: Grade | None = M["disability_grade"]
    serious_illness: StrictBool | None = M["serious_illness"]
    able_to_work: StrictBool | None = M["able_to_work"]
    employed: StrictBool | None = M["employed"]
    in_school: Schooling | None = M["in_school"]
    monthly_income: Yuan | None = M["monthly_income"]
    incomes: Annotated[list[IncomeIn], Field(max_length=20)] | None = M["incomes"]
    father: ParentStatus | None = M["father"]
    mother: ParentStatus | None = M["mother"]
    hukou: Hukou | None = M["hukou"]
    children_elsewhere: Supporter | None = M["children_elsewhere"]
    grandchildren_elsewhere: Supporter | None = M["grandchildren_elsewhere"]


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="date whose parameters apply; default today (Asia/Shanghai)")
    hukou: Hukou | None = H["hukou"]
    area: Area | None = H["area"]
    residence_permit_years: Annotated[StrictFloat, Field(ge=0, le=100, allow_inf_nan=False)] | None = (
        H["residence_permit_years"])
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=30)]
    financial_assets: Yuan | None = H["financial_assets"]
    homes: Annotated[StrictInt, Field(ge=0, le=100)] | None = H["homes"]
    vehicle_over_50k_bought_12m: StrictBool | None = H["vehicle_over_50k_bought_12m"]
    non_residential_property: StrictBool | None = H["non_residential_property"]
    supporter: Supporter | None = H["supporter"]
    current_programs: Annotated[list[ProgramId], Field(max_length=13)] | None = H["current_programs"]
    housing: Housing | None = H["housing"]
    disaster_affected: StrictBool | None = H["disaster_affected"]
    sudden_hardship: StrictBool | None = H["sudden_hardship"]
    hardship_beyond_means: StrictBool | None = H["hardship_beyond_means"]
    rigid_expense_monthly: Yuan | None = H["rigid_expense_monthly"]
    legal_issue: StrictBool | None = H["legal_issue"]


class ReasonOut(BaseModel):
    text: str
    refs: list[int]


class ProgramOut(BaseModel):
    program: ProgramId
    name: str
    status: Status
    reasons: list[ReasonOut]
    refs: list[int]
    next_step: str


class StandardOut(BaseModel):
    value: float | int | None
    unit: str
    effective_from: date
    verified: bool
    source: str


class ScreenResponse(BaseModel):
    as_of: date
    standards: dict[str, StandardOut | None]
    results: list[ProgramOut]
    notice: str


@router.post("/api/v1/screen", response_model=ScreenResponse)
def screen_household(request: ScreenRequest) -> dict[str, Any]:
    """Screen one household; the result is a self-check, never a decision."""
    as_of = request.as_of or clock.today()
    household = Household.from_dict(request.model_dump(exclude={"as_of"}))
    return screen(household, as_of).to_dict()
