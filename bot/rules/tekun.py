"""特困人员救助供养: no ability to work, no source of living, no able legal supporter.

Why: 特困 is decided per person, so each member who may lack work ability is tried as the candidate
and the most favourable candidate is reported. Legal supporters are judged relative to the
candidate (`kinship.py`, policy-facts §7): spouse, children, grandchildren when the children are
dead or unable, parents of a minor (grandparents and elder siblings when the parents are dead or
unable); siblings of an adult only in the cases the code names; in-laws, nephews and nieces never.
Supporters who live elsewhere are answers too. Item 1 keeps minors already supported until 18 (the
age test itself stays a parameter, as Yunnan's choice is not known).
"""

from __future__ import annotations

from bot.rules.context import Context, Position
from bot.rules.criteria import Criterion, Evaluation, Outcome, best, evaluate, failed, passed, unknown
from bot.rules.dibao import dibao_property, income_notes, relation
from bot.rules.household import ParentStatus, Supporter
from bot.rules.kinship import Kin, kin, unavailable
from bot.rules.texts import render

REFS = (1,)
INCOME_REFS = (1, 2)


def _all(*values: bool | None) -> bool | None:
    """Three-valued AND."""
    return False if False in values else None if None in values else True


def _work(ctx: Context, index: int) -> Criterion:
    """No work ability, with item 1's rule that supported minors stay covered until 18."""
    member = ctx.members[index]
    legal = ctx.lacks_work_ability(member)
    if legal.outcome is not Outcome.FAILED or member.age is None:
        return legal
    minor, until = ctx.age_limit("tekun.minor_age_limit"), ctx.age_limit("tekun.minor_support_until")
    current = ctx.household.current_programs
    receiving = None if current is None else "tekun" in current
    if minor is not None and until is not None and minor <= member.age < until:
        key = "tekun.minor.continues" if receiving else "tekun.minor.age_test"
        return (passed if receiving else unknown)(key, REFS, minor=minor, until=until)
    studying = ctx.at_school(member)
    if until is not None and member.age >= until and receiving is not False and studying is not False:
        return unknown("tekun.minor.in_school", REFS, until=until)
    return legal


def able_to_support(ctx: Context, index: int) -> bool | None:
    """Able to support: an adult who can work. One who cannot work is unable only while their own
    income is below the 低保 line (a pensioner may well support a spouse)."""
    member = ctx.members[index]
    if ctx.is_adult(member) is False:
        return False
    work = ctx.lacks_work_ability(member).outcome
    if work is Outcome.FAILED:
        return ctx.is_adult(member)
    if work is Outcome.UNKNOWN:
        return None
    below = ctx.position(ctx.income(index, "tekun"), ctx.standard)
    return False if below is Position.BELOW else None


def _children_unable(ctx: Context, candidate: int) -> bool | None:
    """The candidate's children are dead or unable to support (so grandchildren owe support)."""
    at_home = [able_to_support(ctx, i) for i in range(len(ctx.members))
               if i != candidate and Kin.CHILD in kin(ctx.household, i, candidate)]
    elsewhere = ctx.members[candidate].children_elsewhere or ctx.household.supporter
    away = None if elsewhere is None else elsewhere is not Supporter.ABLE
    return _all(*(not able if able is not None else None for able in at_home), away)


def _duty(ctx: Context, member: int, candidate: int, relation_: Kin) -> bool | None:
    """Whether a member related `relation_` to the candidate owes the candidate support."""
    if relation_ in (Kin.SPOUSE, Kin.CHILD, Kin.PARENT):
        return True
    if relation_ is Kin.GRANDCHILD:
        return _children_unable(ctx, candidate)
    if relation_ not in (Kin.GRANDPARENT, Kin.SIBLING):
        return False
    adult = ctx.is_adult(ctx.members[candidate])
    if adult is not False:  # a grandparent owes an adult nothing; a sibling only in the cases named
        return False if adult and relation_ is Kin.GRANDPARENT else None
    return unavailable(ctx.parents(candidate))  # grandparents and elder siblings of a minor without parents


def _supporter(ctx: Context, candidate: int) -> Criterion:
    who, member, h = relation(ctx, candidate), ctx.members[candidate], ctx.household
    adult = ctx.is_adult(member)
    failures: list[Criterion] = []
    doubts: list[Criterion] = []
    parents = ctx.parents(candidate) if adult is not True else (None, None)  # a minor's parents only
    if ParentStatus.ABLE in parents and adult is False:  # a minor's parents (not an adult's)
        failures.append(failed("tekun.support.parent", REFS, who=who))
    elif ParentStatus.ABLE in parents and adult is None:
        doubts.append(unknown("tekun.support.parent_if_minor", REFS, who=who))
    for index in range(len(ctx.members)):
        if index == candidate:
            continue
        relations = kin(h, index, candidate)
        duties = {_duty(ctx, index, candidate, r) for r in relations}
        duty = True if duties == {True} else False if duties == {False} else None
        able = able_to_support(ctx, index) if duty is not False else False
        if duty and able:
            kin_word = render(f"kin.{sorted(relations)[0].value}")
            failures.append(failed("tekun.support.household", REFS, who=who, kin=kin_word))
        elif able is not False:
            doubts.append(unknown("tekun.support.unclear", REFS, who=who))
    if adult is not False:
        _elsewhere(ctx, candidate, failures, doubts)
    if adult is not True:  # a minor's supporters elsewhere (grandparents, elder siblings): `supporter`
        if None in parents and ParentStatus.ABLE not in parents:
            doubts.append(unknown("tekun.support.parents_unknown", REFS, who=who))
        if h.supporter is Supporter.ABLE:
            failures.append(failed("tekun.support.outside", REFS, who=who))
        elif h.supporter is None:
            doubts.append(unknown("tekun.support.unclear", REFS, who=who))
    if failures or doubts:
        return (failures or doubts)[0]
    return passed("tekun.support.none", REFS, who=who)


def _elsewhere(ctx: Context, candidate: int, failures: list[Criterion], doubts: list[Criterion]) -> None:
    """Children, and grandchildren where the children cannot, who live elsewhere. The household's
    `supporter` answer ("a legal supporter elsewhere") stands in for a member's missing answers."""
    who, member, fallback = relation(ctx, candidate), ctx.members[candidate], ctx.household.supporter
    grandchildren_owe = _children_unable(ctx, candidate)
    for answer, needed, name in ((member.children_elsewhere, True, "children"),
                                 (member.grandchildren_elsewhere, grandchildren_owe, "grandchildren")):
        if needed is False:
            continue
        key = f"{name}_elsewhere" if answer is not None else "outside"
        answer = answer or fallback
        if answer is Supporter.ABLE and needed:
            failures.append(failed(f"tekun.support.{key}", REFS, who=who))
        elif answer is None or answer is Supporter.ABLE:
            doubts.append(unknown(f"tekun.support.{name}_unknown", REFS, who=who))


def _living(ctx: Context, index: int) -> tuple[Criterion, ...]:
    """No source of living: the candidate's own income, as 特困 counts it, below the 低保 line."""
    income = ctx.income(index, "tekun")
    test = ctx.ladder("tekun.living", INCOME_REFS, income, ctx.standard, relation=relation(ctx, index))
    return (test, *income_notes(income, INCOME_REFS))


def _orphan_note(ctx: Context, index: int) -> tuple[Criterion, ...]:
    limit = ctx.age_limit("guer.age_limit")
    age = ctx.members[index].age
    if age is None or limit is None or age >= limit or not unavailable(ctx.parents(index)):
        return ()
    return (passed("tekun.orphan_choice", (1, 10)),)


def tekun(ctx: Context) -> Evaluation:
    routes = []
    for index in range(len(ctx.members)):
        work = _work(ctx, index)
        if work.outcome is Outcome.FAILED:
            continue
        work = Criterion(work.key, work.outcome, work.refs, {**work.values, "relation": relation(ctx, index)})
        criteria = (ctx.where.criterion, work, _supporter(ctx, index), *_living(ctx, index),
                    dibao_property(ctx), *_orphan_note(ctx, index))
        routes.append(evaluate("tekun", criteria, members=(index,)))
    if not routes:
        return evaluate("tekun", (ctx.where.criterion, failed("tekun.work.none", REFS)))
    return best(*routes)
