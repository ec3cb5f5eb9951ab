"""临时救助 (items 11 and 18): 急难型 for sudden hardship, 支出型 for crushing rigid spending.

Why: 临时救助 is the one programme open whatever the 户籍: an emergency is helped where it happens
(item 18), so the next step points to that township; expense-driven hardship is judged on what the
household has left per person after the medical or education spending it must bear.
"""

from __future__ import annotations

from decimal import Decimal

from bot.rules.context import Context, Position, money
from bot.rules.criteria import Evaluation, Status, best, evaluate, failed, passed, unknown

EMERGENCY_REFS = (11, 18)
EXPENSE_REFS = (11,)


def left_after_expense(ctx: Context) -> Decimal | None:
    """Income per person left after the rigid medical/education spending."""
    expense = ctx.household.rigid_expense_monthly
    if ctx.gross_income is None or expense is None:
        return None
    return ctx.gross_income - Decimal(str(expense)) / len(ctx.members)


def _emergency(ctx: Context) -> Evaluation:
    h = ctx.household
    if h.sudden_hardship:
        return evaluate("linshi", (passed("linshi.emergency", EMERGENCY_REFS),), place="emergency")
    if h.disaster_affected:
        return evaluate("linshi", (unknown("linshi.disaster", (8, 11, 18)),), place="emergency")
    if h.sudden_hardship is None or h.disaster_affected is None:
        unanswered = unknown("linshi.emergency_unanswered", EMERGENCY_REFS)
        return evaluate("linshi", (unanswered,), place="emergency")
    return evaluate("linshi", (failed("linshi.no_emergency", EMERGENCY_REFS),), place="emergency")


def _expense(ctx: Context) -> Evaluation:
    expense = ctx.household.rigid_expense_monthly
    if expense is not None and expense <= 0:
        return evaluate("linshi", (failed("linshi.no_expense", EXPENSE_REFS),))
    left = left_after_expense(ctx)
    position = ctx.compare(left, ctx.standard)
    if position is None:
        return evaluate("linshi", (unknown("linshi.expense_unknown", EXPENSE_REFS),))
    values = {"left": money(max(left, Decimal(0))), "standard": money(ctx.standard)}  # type: ignore[arg-type]
    if position is Position.BELOW:
        return evaluate("linshi", (passed("linshi.expense", EXPENSE_REFS, **values),))
    if position is Position.NEAR or ctx.compare(left, ctx.band_limit) in (Position.BELOW, Position.NEAR):
        return evaluate("linshi", (unknown("linshi.expense_near", EXPENSE_REFS, **values),))
    return evaluate("linshi", (failed("linshi.expense_small", EXPENSE_REFS, **values),))


def linshi(ctx: Context) -> Evaluation:
    emergency, expense = _emergency(ctx), _expense(ctx)
    if emergency.status is expense.status is Status.UNLIKELY:
        return evaluate("linshi", (*emergency.criteria, *expense.criteria), place="emergency")
    return best(emergency, expense)
