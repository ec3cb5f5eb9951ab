"""Eligibility self-check (救助自测): `screen(household, as_of)` gives all 13 programmes' results.

Why: the chat questionnaire and POST /api/v1/screen must give the same answer, so both call this
one pure function. A result is a preliminary self-check, never a decision: unknown answers and
incomes near a line give `possible`, and every reason cites the task-list items it rests on.
`open_inputs(household, as_of)` says which unanswered questions could still change a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.rules.context import Context
from bot.rules.criteria import Evaluation, Outcome, Status
from bot.rules.household import PROGRAM_IDS, Area, Household, Member
from bot.rules.inputs import OpenInput, open_inputs
from bot.rules.parameters import Parameters, load_parameters
from bot.rules.programs import evaluate_all
from bot.rules.texts import messages, render
from bot.rules.where import Place, WhereToApply, where_to_apply

__all__ = [
    "PROGRAM_IDS",
    "STANDARD_NAMES",
    "Household",
    "Member",
    "OpenInput",
    "Place",
    "ProgramResult",
    "Reason",
    "ScreeningResult",
    "Status",
    "WhereToApply",
    "open_inputs",
    "screen",
    "where_to_apply",
]

# Parameters reported with every result (county scope, in force on as_of).
STANDARD_NAMES = (
    "dibao.urban_monthly", "dibao.rural_annual", "dibao.rural_monthly", "tekun.basic_monthly",
    "tekun.basic_factor", "lowincome.band_factor", "income.closeness_margin", "residence_permit.min_years",
    "tekun.elderly_age", "tekun.minor_age_limit", "tekun.minor_support_until", "guer.age_limit",
    "guer.institution_monthly", "guer.dispersed_monthly", "canji.shenghuo_floor_monthly",
    "canji.huli_floor_monthly", "jiuye.employment_cost_deduction_monthly", "jiuye.transition_months",
    "income.residents_pension_central_basic_monthly",
)
_ORDER = {Outcome.FAILED: 0, Outcome.UNKNOWN: 1, Outcome.PASSED: 2}


@dataclass(frozen=True)
class Reason:
    key: str
    outcome: Outcome
    text: str
    refs: tuple[int, ...]


@dataclass(frozen=True)
class ProgramResult:
    program: str
    name: str
    status: Status
    reasons: tuple[Reason, ...]
    refs: tuple[int, ...]
    next_step: str

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.reasons)


@dataclass(frozen=True)
class ScreeningResult:
    as_of: date
    standards: dict[str, dict[str, Any] | None]
    results: tuple[ProgramResult, ...]
    notice: str
    where: WhereToApply

    def program(self, program_id: str) -> ProgramResult:
        return next(r for r in self.results if r.program == program_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of issue 4's response."""
        return {
            "as_of": self.as_of.isoformat(),
            "standards": self.standards,
            "results": [
                {"program": r.program, "name": r.name, "status": r.status.value,
                 "reasons": [{"text": x.text, "refs": list(x.refs)} for x in r.reasons],
                 "refs": list(r.refs), "next_step": r.next_step}
                for r in self.results
            ],
            "notice": self.notice,
        }


def standards(as_of: date, params: Parameters) -> dict[str, dict[str, Any] | None]:
    report: dict[str, dict[str, Any] | None] = {}
    for name in STANDARD_NAMES:
        found = params.lookup(name, as_of)
        report[name] = None if found is None else {
            "value": found.value, "unit": found.unit, "effective_from": found.effective_from.isoformat(),
            "verified": found.verified, "source": found.source,
        }
    return report


def _next_step(ctx: Context, evaluation: Evaluation) -> str:
    place_key = "place.emergency" if evaluation.place == "emergency" else f"place.{ctx.where.place.value}"
    place = render(place_key)
    program = evaluation.program
    if evaluation.status is Status.UNLIKELY:
        if program in ("dibao", "tekun") and ctx.where.place is Place.OUTSIDE_YUNNAN:
            return render("next_unlikely.outside_yunnan")
        key = f"next_unlikely.{program}"
        return render(key if key in messages() else "next_unlikely.default", place=place)
    if program == "dibao":
        program = "dibao_urban" if ctx.household.area is Area.URBAN else "dibao_rural"
    return render(f"next.{program}", place=place)


def _result(ctx: Context, evaluation: Evaluation) -> ProgramResult:
    criteria = sorted(evaluation.criteria, key=lambda c: _ORDER[c.outcome])
    reasons = tuple(Reason(c.key, c.outcome, c.text, c.refs) for c in criteria)
    refs = tuple(sorted({ref for c in criteria for ref in c.refs}))
    return ProgramResult(evaluation.program, render(f"programs.{evaluation.program}"), evaluation.status,
                         reasons, refs, _next_step(ctx, evaluation))


def screen(household: Household, as_of: date, params: Parameters | None = None) -> ScreeningResult:
    """Screen one household against every programme with the parameters in force on `as_of`.
    Results follow PROGRAM_IDS, except that 特困 comes before 低保 when both could apply to one person."""
    ctx = Context(household, as_of, params or load_parameters())
    found, tekun_first = evaluate_all(ctx)
    order = list(PROGRAM_IDS)
    if tekun_first:
        order[0:2] = ["tekun", "dibao"]
    results = tuple(_result(ctx, found[program]) for program in order)
    return ScreeningResult(as_of, standards(as_of, ctx.params), results, render("notice"), ctx.where)
