"""最低生活保障 (低保) and the low-income band (低保边缘) it anchors.

Why: 低保 is the gate to most other help. The household is the applicant's 低保 household
(`family.py`), its income counted as §7 says (`income.py`). Co-residents outside it (an in-law, a
sibling) may apply as their own household. Item 1 adds the one-person-household route for
severely disabled or seriously ill members of low-income households, judged on their own income
too; item 7 makes employed households near the line a `possible` (employment-cost deduction,
渐退期) rather than an `unlikely`.
"""

from __future__ import annotations

from bot.rules.context import Context, Position, money
from bot.rules.criteria import (
    Criterion,
    Evaluation,
    Outcome,
    Status,
    best,
    evaluate,
    passed,
    unknown,
)
from bot.rules.family import Unit
from bot.rules.household import DisabilityType
from bot.rules.income import Amount, earns_wages
from bot.rules.texts import render

INCOME_REFS = (2, 18)
PROPERTY_REFS = (18,)
SINGLE_REFS = (1,)
EMPLOYMENT_REFS = (7,)
_MIND = (DisabilityType.INTELLECTUAL, DisabilityType.MENTAL)


def relation(ctx: Context, index: int) -> str:
    return ctx.who(index)


def dibao_property(ctx: Context, unit: Unit | None = None) -> Criterion:
    people = len((unit or ctx.unit).counted)
    per_person = ctx.number("dibao.financial_assets_per_person")
    limit = None if per_person is None else per_person * people
    return ctx.property_check("dibao.property", PROPERTY_REFS, "dibao.max_homes", limit, people)


def band_income(ctx: Context, unit: Unit | None = None) -> Criterion:
    """Income per person below the low-income band's upper limit (1.5 × standard)."""
    return ctx.ladder("lowincome.income", INCOME_REFS, ctx.unit_income(unit), ctx.band_limit,
                      missing=ctx.missing_income(unit))


def band_property(ctx: Context, unit: Unit | None = None) -> Criterion:
    people = len((unit or ctx.unit).counted)
    multiple = ctx.number("lowincome.assets_income_multiple")
    disposable = ctx.number("county.disposable_income_prev_year")
    limit = None if multiple is None or disposable is None else multiple * disposable * people
    return ctx.property_check("lowincome.property", PROPERTY_REFS, "lowincome.max_homes", limit, people)


def low_income(ctx: Context) -> Evaluation:
    """The low-income band as one evaluation: income under the band limit and property within it."""
    return evaluate("lowincome", (band_income(ctx), band_property(ctx)), members=ctx.unit.members)


def income_notes(amount: Amount | None, refs: tuple[int, ...]) -> tuple[Criterion, ...]:
    """What shaped the counted income: kinds left out, partly counted, unclear, costs not given."""
    if amount is None:
        return ()
    notes = []
    for name, kinds in (("left_out", amount.left_out), ("partly", amount.partly),
                        ("unclear", amount.unclear), ("uncosted", amount.uncosted)):
        if kinds:
            words = render("property.separator").join(render(f"income_kind.{k.value}") for k in sorted(kinds))
            notes.append(passed(f"income.{name}", refs, items=words))
    return tuple(notes)


def income_test(ctx: Context, unit: Unit | None = None) -> Criterion:
    """Household income per person against the 低保 line, with item 7's employment rules."""
    unit = unit or ctx.unit
    if ctx.standard is None:
        return unknown("dibao.income.area_unknown", INCOME_REFS)
    amount = ctx.unit_income(unit)
    missing = ctx.missing_income(unit)
    criterion = ctx.ladder("dibao.income", INCOME_REFS, amount, ctx.standard, missing=missing)
    if criterion.outcome is not Outcome.FAILED:
        return criterion
    refs, values = (*INCOME_REFS, *EMPLOYMENT_REFS), criterion.values
    workers = [earns_wages(ctx.members[i]) for i in unit.members if ctx.can_work(ctx.members[i])]
    employed = True in workers or any(earns_wages(ctx.members[i]) for i in unit.members)
    current = ctx.household.current_programs
    if employed and (current is None or "dibao" in current):
        months = ctx.number("jiuye.transition_months")
        key = "transition" if months is None else "transition_months"
        if current is None:
            key = "transition_if"
        return unknown(f"dibao.income.{key}", refs, months=money(months or 0), **values)
    within_band = ctx.position(amount, ctx.band_limit) in (Position.BELOW, Position.NEAR, Position.RANGE)
    if (employed or None in workers) and ctx.deduction is None and within_band:
        return unknown("dibao.income.employment_cost", refs, **values)
    return criterion


def household_route(ctx: Context, unit: Unit) -> Evaluation:
    notes: list[Criterion] = []
    if unit.reference != ctx.unit.reference:
        notes.append(passed("dibao.unit.separate", INCOME_REFS, relation=relation(ctx, unit.reference)))
    elif unit.others:
        others = render("property.separator").join(relation(ctx, i) for i in unit.others)
        notes.append(passed("dibao.unit.others", INCOME_REFS, relations=others))
    criteria = (ctx.where.criterion, income_test(ctx, unit), dibao_property(ctx, unit),
                *income_notes(ctx.unit_income(unit), INCOME_REFS), *notes)
    return evaluate("dibao", criteria, members=unit.members)


def _single_person_member(ctx: Context, index: int) -> Criterion | None:
    """Item 1's qualifying condition for one member, or None when the member does not qualify."""
    member = ctx.members[index]
    grade, kind, who = member.disability_grade, member.disability_type, relation(ctx, index)
    if grade in (1, 2):
        return passed("dibao.single.severe", SINGLE_REFS, relation=who)
    if grade == 3 and kind in _MIND:
        return passed("dibao.single.grade3_mind", SINGLE_REFS, relation=who)
    if member.serious_illness:
        return passed("dibao.single.illness", SINGLE_REFS, relation=who)
    if grade == 4 and kind in _MIND:
        return unknown("dibao.single.grade4_mind", SINGLE_REFS, relation=who)
    if member.serious_illness is None or member.disabled is None or (member.disabled and grade is None):
        return unknown("dibao.single.unanswered", SINGLE_REFS, relation=who)
    return None


def _own_income(ctx: Context, index: int, condition: Criterion) -> Criterion:
    """The one-person household's own income: below the 低保 line (grade 4: below the draft's 1.5×)."""
    who = relation(ctx, index)
    if condition.key == "dibao.single.grade4_mind":
        factor = ctx.number("dibao.single_person_grade4_income_factor")
        line = None if factor is None or ctx.standard is None else factor * ctx.standard
        return ctx.ladder("dibao.single.own_band", SINGLE_REFS, ctx.income(index), line, relation=who)
    return ctx.ladder("dibao.single.own", SINGLE_REFS, ctx.income(index), ctx.standard, relation=who)


def single_person_route(ctx: Context) -> Evaluation | None:
    """Item 1: a qualifying member of a low-income household may be covered as a one-person household."""
    unit = ctx.unit
    if len(unit.members) < 2:
        return None
    routes = []
    for index in unit.members:
        condition = _single_person_member(ctx, index)
        if condition is None:
            continue
        criteria = (ctx.where.criterion, condition, _own_income(ctx, index, condition), band_income(ctx),
                    band_property(ctx))
        routes.append(evaluate("dibao", criteria, members=(index,)))
    return best(*routes) if routes else None


def dibao(ctx: Context) -> Evaluation:
    seen = {ctx.unit.counted}
    routes = [household_route(ctx, ctx.unit)]
    for index in ctx.unit.others:  # adult co-residents outside the household may apply as their own
        if not ctx.is_adult(ctx.members[index]):
            continue
        unit = ctx.unit_of(index)
        if unit.counted not in seen:
            seen.add(unit.counted)
            routes.append(household_route(ctx, unit))
    household = best(*routes)
    alone = single_person_route(ctx)
    if alone is None or household.status is Status.LIKELY:
        return household
    if alone.criteria[1].outcome is Outcome.PASSED:
        return best(alone, household)  # a qualifying member: on a tie, item 1's route explains more
    return best(household, alone)
