"""`POST /api/v1/screen`: a household in, every programme's self-check result out (issue 4).

Why: other front ends (H5 page, caseworker tools) need the same answer as the chat questionnaire,
so this router only validates the request and calls `bot.rules.screen`. Validation is strict
(no "45" for an age, no "yes" for a boolean): a 422 names the offending field in `detail[].loc`.
`null` on an optional answer means "unknown" and makes the affected programmes `possible`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

from bot.rules import Household, screen
from bot.rules.household import (
    Area,
    DisabilityType,
    Housing,
    Hukou,
    ParentStatus,
    Relation,
    Schooling,
    Supporter,
)

router = APIRouter()
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

Age = Annotated[StrictInt, Field(ge=0, le=130)]
Yuan = Annotated[StrictFloat, Field(ge=0, le=100_000_000, allow_inf_nan=False)]
Grade = Annotated[StrictInt, Field(ge=1, le=4)]
ProgramId = Literal[
    "dibao", "tekun", "linshi", "yiliao", "jiaoyu", "zhufang", "jiuye",
    "shouzai", "canji_shenghuo", "canji_huli", "guer", "kunjing_ertong", "falv",
]
Status = Literal["likely", "possible", "unlikely"]


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    relation: Relation
    age: Age | None = None
    disability_type: DisabilityType | None = None
    disability_grade: Grade | None = None
    serious_illness: StrictBool | None = False
    able_to_work: StrictBool | None = None
    employed: StrictBool | None = False
    in_school: Schooling | None = None
    monthly_income: Yuan | None = 0
    father: ParentStatus | None = ParentStatus.ABLE
    mother: ParentStatus | None = ParentStatus.ABLE


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="date whose parameters apply; default today (Asia/Shanghai)")
    hukou: Hukou | None = Hukou.YUANJIANG
    area: Area | None = Area.RURAL
    residence_permit_years: Annotated[StrictFloat, Field(ge=0, le=100, allow_inf_nan=False)] | None = 0
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=30)]
    financial_assets: Yuan | None = 0
    homes: Annotated[StrictInt, Field(ge=0, le=100)] | None = 1
    vehicle_over_50k_bought_12m: StrictBool | None = False
    non_residential_property: StrictBool | None = False
    supporter: Supporter | None = Supporter.ABLE
    current_programs: Annotated[list[ProgramId], Field(max_length=13)] = []
    housing: Housing | None = Housing.SAFE
    disaster_affected: StrictBool | None = False
    sudden_hardship: StrictBool | None = False
    rigid_expense_monthly: Yuan | None = 0
    legal_issue: StrictBool | None = False


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
    as_of = request.as_of or datetime.now(LOCAL_TZ).date()
    household = Household.from_dict(request.model_dump(exclude={"as_of"}))
    return screen(household, as_of).to_dict()
