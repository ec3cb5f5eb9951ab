"""最低生活保障 (低保) and the low-income band (低保边缘) it anchors.

Why: 低保 is the gate to most other help. Besides the household route (户籍/申办地, income, property)
item 1 adds the one-person-household route for severely disabled or seriously ill members of
low-income households, and item 7 makes employed households near the line a `possible`
(employment-cost deduction, 渐退期) rather than an `unlikely`.
"""

from __future__ import annotations

from decimal import Decimal

from bot.rules.context import Context, Position, money
from bot.rules.criteria import Criterion, Evaluation, Outcome, Status, best, evaluate, failed, passed, unknown
from bot.rules.household import DisabilityType, Member
from bot.rules.texts import render

INCOME_REFS = (2, 18)
PROPERTY_REFS = (18,)
SINGLE_REFS = (1,)
EMPLOYMENT_REFS = (7,)
_MIND = (DisabilityType.INTELLECTUAL, DisabilityType.MENTAL)


def dibao_property(ctx: Context) -> Criterion:
    per_person = ctx.number("dibao.financial_assets_per_person")
    limit = None if per_person is None else per_person * len(ctx.members)
    return ctx.property_check("dibao.property", PROPERTY_REFS, "dibao.max_homes", limit)


def band_income(ctx: Context) -> Criterion:
    """Income below the low-income band's upper limit (1.5 × standard)."""
    position = ctx.compare(ctx.income, ctx.band_limit)
    values = {"limit": money(ctx.band_limit) if ctx.band_limit is not None else ""}
    if position is None:
        return unknown("lowincome.income.unknown", INCOME_REFS)
    if position is Position.BELOW:
        return passed("lowincome.income.below", INCOME_REFS, **values)
    if position is Position.NEAR:
        return unknown("lowincome.income.near", INCOME_REFS, **values)
    return failed("lowincome.income.above", INCOME_REFS, **values)


def band_property(ctx: Context) -> Criterion:
    multiple = ctx.number("lowincome.assets_income_multiple")
    disposable = ctx.number("county.disposable_income_prev_year")
    limit = None if multiple is None or disposable is None else multiple * disposable * len(ctx.members)
    return ctx.property_check("lowincome.property", PROPERTY_REFS, "lowincome.max_homes", limit)


def low_income(ctx: Context) -> Evaluation:
    """The low-income band as one evaluation: income under the band limit and property within it."""
    return evaluate("lowincome", (band_income(ctx), band_property(ctx)))


def income_test(ctx: Context) -> Criterion:
    """Household income per person against the 低保 line, with item 7's employment rules."""
    if ctx.standard is None:
        return unknown("dibao.income.area_unknown", INCOME_REFS)
    if ctx.income is None:
        return unknown("dibao.income.unknown", INCOME_REFS)
    values = {"income": money(ctx.income), "standard": money(ctx.standard)}
    position = ctx.compare(ctx.income, ctx.standard)
    if position is Position.BELOW:
        return passed("dibao.income.below", INCOME_REFS, **values)
    if position is Position.NEAR:
        return unknown("dibao.income.near", INCOME_REFS, **values)
    employed = any(m.employed for m in ctx.members)
    refs = (*INCOME_REFS, *EMPLOYMENT_REFS)
    if employed and "dibao" in ctx.household.current_programs:
        months = ctx.number("jiuye.transition_months")
        if months is None:
            return unknown("dibao.income.transition", refs, **values)
        return unknown("dibao.income.transition_months", refs, months=money(months), **values)
    within_band = ctx.compare(ctx.income, ctx.band_limit) in (Position.BELOW, Position.NEAR)
    if employed and ctx.deduction is None and within_band:
        return unknown("dibao.income.employment_cost", refs, **values)
    return failed("dibao.income.above", INCOME_REFS, **values)


def _single_person_member(ctx: Context, member: Member) -> Criterion | None:
    """Item 1's qualifying condition for one member, or None when the member does not qualify."""
    grade, kind = member.disability_grade, member.disability_type
    if grade in (1, 2):
        return passed("dibao.single.severe", SINGLE_REFS, relation=_relation(member))
    if grade == 3 and kind in _MIND:
        return passed("dibao.single.grade3_mind", SINGLE_REFS, relation=_relation(member))
    if member.serious_illness:
        return passed("dibao.single.illness", SINGLE_REFS, relation=_relation(member))
    if grade == 4 and kind in _MIND:
        factor = ctx.number("dibao.single_person_grade4_income_factor")
        own = member.monthly_income
        limit = None if factor is None or ctx.standard is None else factor * ctx.standard
        if limit is not None and own is not None and Decimal(str(own)) >= limit:
            return None
        return unknown("dibao.single.grade4_mind", SINGLE_REFS, relation=_relation(member))
    if member.serious_illness is None or (kind is not None and grade is None):
        return unknown("dibao.single.unanswered", SINGLE_REFS, relation=_relation(member))
    return None


def _relation(member: Member) -> str:
    return render(f"relation.{member.relation.value}")


def single_person_route(ctx: Context) -> Evaluation | None:
    """Item 1: a qualifying member of a low-income household may be covered as a one-person household."""
    if len(ctx.members) < 2:
        return None
    found = [c for m in ctx.members if (c := _single_person_member(ctx, m)) is not None]
    if not found:
        return None
    member = min(found, key=lambda c: c.outcome is not Outcome.PASSED)
    return evaluate("dibao", (ctx.where.criterion, member, band_income(ctx), band_property(ctx)))


def dibao(ctx: Context) -> Evaluation:
    household_route = evaluate("dibao", (ctx.where.criterion, income_test(ctx), dibao_property(ctx)))
    alone = single_person_route(ctx)
    if alone is None or household_route.status is Status.LIKELY:
        return household_route
    return best(alone, household_route)  # on a tie, item 1's route explains more
