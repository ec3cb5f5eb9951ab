"""特困人员救助供养: no ability to work, no source of living, no able legal supporter.

Why: 特困 is decided per person, so each member who may lack work ability is tried as the candidate
and the most favourable candidate is reported. Item 1 keeps minors already supported until 18
(the age test itself stays a parameter, as Yunnan's choice is not known).
"""

from __future__ import annotations

from bot.rules.context import Context, Position, money
from bot.rules.criteria import Criterion, Evaluation, Outcome, best, evaluate, failed, passed, unknown
from bot.rules.dibao import dibao_property
from bot.rules.household import Member, ParentStatus, Relation, Supporter
from bot.rules.texts import render

REFS = (1,)
INCOME_REFS = (1, 2)
# Relations (to the applicant) that usually carry a legal duty of support within the household.
SUPPORT_RELATIONS = frozenset({
    Relation.APPLICANT, Relation.SPOUSE, Relation.CHILD,
    Relation.PARENT, Relation.GRANDPARENT, Relation.GRANDCHILD,
})
_UNAVAILABLE_PARENT = frozenset({
    ParentStatus.DECEASED, ParentStatus.MISSING, ParentStatus.INCARCERATED, ParentStatus.DISABLED_OR_ILL,
})


def _work(ctx: Context, member: Member) -> Criterion:
    """No work ability, with item 1's rule that supported minors stay covered until 18."""
    legal = ctx.lacks_work_ability(member)
    if legal.outcome is not Outcome.FAILED or member.age is None:
        return legal
    minor, until = ctx.age_limit("tekun.minor_age_limit"), ctx.age_limit("tekun.minor_support_until")
    receiving = "tekun" in ctx.household.current_programs
    if minor is not None and until is not None and minor <= member.age < until:
        key = "tekun.minor.continues" if receiving else "tekun.minor.age_test"
        return (passed if receiving else unknown)(key, REFS, minor=minor, until=until)
    if until is not None and member.age >= until and receiving and member.in_school is not None:
        return unknown("tekun.minor.in_school", REFS, until=until)
    return legal


def _supporter(ctx: Context, candidate: Member) -> Criterion:
    others = [m for m in ctx.members if m is not candidate]
    adult = ctx.age_limit("tekun.minor_support_until") or 18
    able_adults = [m for m in others if m.age is not None and m.age >= adult and ctx.can_work(m)]
    if any(m.relation in SUPPORT_RELATIONS for m in able_adults):
        return failed("tekun.support.household", REFS)
    parents = (candidate.father, candidate.mother)
    is_minor = candidate.age is not None and candidate.age < adult
    if is_minor and ParentStatus.ABLE in parents:
        return failed("tekun.support.parent", REFS)
    if ctx.household.supporter is Supporter.ABLE:
        return failed("tekun.support.outside", REFS)
    if ctx.household.supporter is None or able_adults or (is_minor and None in parents):
        return unknown("tekun.support.unclear", REFS)
    return passed("tekun.support.none", REFS)


def _living(ctx: Context) -> Criterion:
    """No source of living: household income per person below the 低保 line."""
    if ctx.standard is None or ctx.gross_income is None:
        return unknown("tekun.living.unknown", INCOME_REFS)
    values = {"income": money(ctx.gross_income), "standard": money(ctx.standard)}
    position = ctx.compare(ctx.gross_income, ctx.standard)
    if position is Position.BELOW:
        return passed("tekun.living.below", INCOME_REFS, **values)
    if position is Position.NEAR:
        return unknown("tekun.living.near", INCOME_REFS, **values)
    return failed("tekun.living.above", INCOME_REFS, **values)


def _orphan_note(candidate: Member, ctx: Context) -> tuple[Criterion, ...]:
    limit = ctx.age_limit("guer.age_limit")
    parents = {candidate.father, candidate.mother}
    if candidate.age is None or limit is None or candidate.age >= limit or not parents <= _UNAVAILABLE_PARENT:
        return ()
    return (passed("tekun.orphan_choice", (1, 10)),)


def tekun(ctx: Context) -> Evaluation:
    shared = (_living(ctx), dibao_property(ctx))
    routes = []
    for member in ctx.members:
        work = _work(ctx, member)
        if work.outcome is Outcome.FAILED:
            continue
        relation = render(f"relation.{member.relation.value}")
        work = Criterion(work.key, work.outcome, work.refs, {**work.values, "relation": relation})
        routes.append(evaluate("tekun", (ctx.where.criterion, work, _supporter(ctx, member), *shared,
                                         *_orphan_note(member, ctx))))
    if not routes:
        return evaluate("tekun", (ctx.where.criterion, failed("tekun.work.none", REFS)))
    return best(*routes)
