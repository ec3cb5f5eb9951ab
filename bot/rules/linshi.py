"""临时救助 (items 11 and 18): 急难型 for sudden hardship, 支出型 for crushing rigid spending.

Why: 临时救助 is the one programme open whatever the 户籍: an emergency is helped where it happens
(item 18), so the next step points to that township. Both kinds help only a household that cannot
get over the hardship with its own means (item 11): an emergency in a low-income household, or one
the resident says is beyond the household's means, is `likely`; in a better-off household it is a
`possible` for the township to judge. Expense-driven hardship is judged on what the household has
left per person after the medical or education spending it must bear.
"""

from __future__ import annotations

from decimal import Decimal

from bot.rules.context import Context, Position
from bot.rules.criteria import Criterion, Evaluation, Status, best, evaluate, failed, passed, unknown
from bot.rules.income import Amount

EMERGENCY_REFS = (11, 18)
EXPENSE_REFS = (11,)


def left_after_expense(ctx: Context) -> Amount | None:
    """Income per person left after the rigid medical/education spending."""
    expense, income = ctx.household.rigid_expense_monthly, ctx.unit_income()
    if income is None or expense is None:
        return None
    share = Decimal(str(expense)) / len(ctx.unit.counted)
    return Amount(max(Decimal(0), income.low - share), max(Decimal(0), income.high - share))


def own_means(ctx: Context) -> Criterion:
    """The household cannot solve the hardship with its own means."""
    said = ctx.household.hardship_beyond_means
    if said is not None:
        return (passed if said else failed)(f"linshi.means.{'beyond' if said else 'enough'}", EMERGENCY_REFS)
    if ctx.position(ctx.unit_income(), ctx.band_limit) is Position.BELOW:
        return passed("linshi.means.low_income", EMERGENCY_REFS)
    return unknown("linshi.means.check", EMERGENCY_REFS)


def _emergency(ctx: Context) -> Evaluation:
    h = ctx.household
    if h.sudden_hardship:
        emergency = passed("linshi.emergency", EMERGENCY_REFS)
        return evaluate("linshi", (emergency, own_means(ctx)), place="emergency")
    if h.disaster_affected:
        disaster = unknown("linshi.disaster", (8, 11, 18))
        return evaluate("linshi", (disaster, own_means(ctx)), place="emergency")
    if h.sudden_hardship is None or h.disaster_affected is None:
        unanswered = unknown("linshi.emergency_unanswered", EMERGENCY_REFS)
        return evaluate("linshi", (unanswered,), place="emergency")
    return evaluate("linshi", (failed("linshi.no_emergency", EMERGENCY_REFS),), place="emergency")


def _expense(ctx: Context) -> Evaluation:
    expense = ctx.household.rigid_expense_monthly
    if expense is not None and expense <= 0:
        return evaluate("linshi", (failed("linshi.no_expense", EXPENSE_REFS),))
    left = left_after_expense(ctx)
    criterion = ctx.ladder("linshi.expense", EXPENSE_REFS, left, ctx.standard, missing=ctx.missing_income())
    in_band = ctx.position(left, ctx.band_limit) in (Position.BELOW, Position.NEAR, Position.RANGE)
    if criterion.key == "linshi.expense.above" and in_band:  # above the line, within the low-income band
        criterion = unknown("linshi.expense.near", EXPENSE_REFS, **criterion.values)
    return evaluate("linshi", (criterion,))


def linshi(ctx: Context) -> Evaluation:
    emergency, expense = _emergency(ctx), _expense(ctx)
    if emergency.status is expense.status is Status.UNLIKELY:
        return evaluate("linshi", (*emergency.criteria, *expense.criteria), place="emergency")
    return best(emergency, expense)
