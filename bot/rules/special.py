"""专项救助: medical (4), education (5), housing (6), employment (7), disaster (8) and legal aid (9).

Why: these programmes mostly follow from the household's standing (低保/特困 or low-income) plus one
specific need (illness, a student, an unsafe home, an unemployed worker, a disaster, a legal case),
so each is a short set of criteria over `Standing` and that need.
"""

from __future__ import annotations

from bot.rules.context import Context, Standing
from bot.rules.criteria import (
    Criterion,
    Evaluation,
    Status,
    best,
    evaluate,
    failed,
    from_status,
    passed,
    unknown,
)
from bot.rules.disability import hukou_note
from bot.rules.household import Area, Housing
from bot.rules.income import earns_wages


def _answer(value: bool | None, key: str, refs: tuple[int, ...]) -> Criterion:
    """A yes/no need: yes passes, no fails, unanswered is unknown."""
    if value is None:
        return unknown(f"{key}.unanswered", refs)
    return passed(f"{key}.yes", refs) if value else failed(f"{key}.no", refs)


def yiliao(ctx: Context, standing: Standing) -> Evaluation:
    """Assisted and low-income households; otherwise serious illness or heavy medical spending."""
    refs = (4,)
    by_means = evaluate("yiliao", (from_status(standing.means, "yiliao.means", refs),))
    illness = [m.serious_illness for m in ctx.members]
    expense = ctx.household.rigid_expense_monthly
    if any(illness) or (expense or 0) > 0:
        need = unknown("yiliao.illness", refs)
    elif None in illness or expense is None:
        need = unknown("yiliao.unanswered", refs)
    else:
        need = failed("yiliao.no_need", refs)
    return best(by_means, evaluate("yiliao", (need,)))


def jiaoyu(ctx: Context, standing: Standing) -> Evaluation:
    """Students of assisted households; school-age disabled children not at school (送教上门).
    Whether a school-age member studies is asked, never assumed: unanswered gives `possible`."""
    refs = (5,)
    low, high = ctx.age_limit("jiaoyu.compulsory_age_from"), ctx.age_limit("jiaoyu.compulsory_age_to")
    schooling = [ctx.at_school(m) for m in ctx.members]
    means = from_status(standing.means, "jiaoyu.means", refs)
    routes = []
    if True in schooling:
        routes.append(evaluate("jiaoyu", (passed("jiaoyu.student", refs), means)))
    if None in schooling:
        routes.append(evaluate("jiaoyu", (unknown("jiaoyu.school_unknown", refs), means)))
    if low is not None and high is not None and any(
        m.disabled is not False and at is False and m.age is not None and low <= m.age <= high
        for m, at in zip(ctx.members, schooling, strict=True)
    ):
        routes.append(evaluate("jiaoyu", (unknown("jiaoyu.home_teaching", refs),)))
    if not routes:
        return evaluate("jiaoyu", (failed("jiaoyu.no_student", refs),))
    return best(*routes)


def zhufang(ctx: Context, standing: Standing) -> Evaluation:
    """An unsafe or missing home in an assisted (or low-income) household: 危房改造 or 公租房."""
    refs = (6,)
    housing = ctx.household.housing
    if housing is None:
        need = unknown("zhufang.unanswered", refs)
    elif housing is Housing.SAFE:
        need = failed("zhufang.safe", refs)
    else:
        need = passed("zhufang.urban" if ctx.household.area is Area.URBAN else "zhufang.rural", refs)
    return evaluate("zhufang", (need, from_status(standing.means, "zhufang.means", refs), *hukou_note(ctx)))


def jiuye(ctx: Context, standing: Standing) -> Evaluation:
    """Members able to work in assisted households: services, 公益性岗位, 零就业家庭 清零."""
    refs = (7,)
    workers = [m for m in ctx.members if ctx.can_work(m)]
    maybe = [m for m in ctx.members if (m.able_to_work is not False and m.age is None)
             or ctx.lacks_work_ability(m).key == "work.disability_unknown"]
    if not workers and maybe:
        return evaluate("jiuye", (unknown("jiuye.age_unknown", refs),))
    if not workers:
        return evaluate("jiuye", (failed("jiuye.no_worker", refs),))
    employed = [earns_wages(m) for m in workers]
    if not any(employed) and None not in employed:
        need = passed("jiuye.zero_employment", refs)
    elif False in employed:
        need = passed("jiuye.unemployed", refs)
    elif None in employed:
        need = unknown("jiuye.unanswered", refs)
    else:
        need = unknown("jiuye.employed", refs)
    return evaluate("jiuye", (from_status(standing.means, "jiuye.means", refs), need))


def shouzai(ctx: Context) -> Evaluation:
    """Disaster relief is not means-tested; a lost or damaged home adds 倒房重建."""
    refs = (8,)
    criteria = [_answer(ctx.household.disaster_affected, "shouzai.affected", refs)]
    if ctx.household.disaster_affected and ctx.household.housing in (Housing.DANGEROUS, Housing.NONE):
        criteria.append(passed("shouzai.rebuild", refs))
    return evaluate("shouzai", criteria, place="emergency")


def falv(ctx: Context, standing: Standing) -> Evaluation:
    """A legal matter: likely for assisted or low-income households, otherwise possible (own tests)."""
    refs = (9,)
    issue = _answer(ctx.household.legal_issue, "falv.issue", refs)
    if standing.low_income is Status.LIKELY:
        return evaluate("falv", (issue, passed("falv.assisted", refs)))
    return evaluate("falv", (issue, unknown("falv.other", refs)))
