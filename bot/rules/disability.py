"""残疾人两项补贴: 困难残疾人生活补贴 and 重度残疾人护理补贴 (item 10).

Why: the living allowance follows the household's means (低保, and since item 10 the low-income
band too); the care allowance follows the disability grade alone.
"""

from __future__ import annotations

from bot.rules.context import Context, Standing
from bot.rules.criteria import Criterion, Evaluation, evaluate, failed, from_status, passed, unknown
from bot.rules.household import Hukou

REFS = (10,)


def hukou_note(ctx: Context) -> tuple[Criterion, ...]:
    """户籍-based programmes: a household registered outside Yunnan applies at home, so at most possible."""
    if ctx.household.hukou is Hukou.OUTSIDE_YUNNAN:
        return (unknown("where.apply_at_hukou", (18,)),)
    return ()


def _has_disabled(ctx: Context) -> Criterion:
    cards = [m.disabled for m in ctx.members]
    if True in cards:
        return passed("canji.disabled", REFS)
    return unknown("canji.unknown", REFS) if None in cards else failed("canji.none", REFS)


def canji_shenghuo(ctx: Context, standing: Standing) -> Evaluation:
    means = from_status(standing.low_income, "canji.shenghuo.means", REFS)
    return evaluate("canji_shenghuo", (_has_disabled(ctx), means, *hukou_note(ctx)))


def canji_huli(ctx: Context) -> Evaluation:
    grades = [m.disability_grade for m in ctx.members if m.disabled]
    if not grades:
        grade = _has_disabled(ctx)
    elif any(g in (1, 2) for g in grades):
        grade = passed("canji.huli.severe", REFS)
    elif None in grades:
        grade = unknown("canji.huli.grade_unknown", REFS)
    else:
        grade = failed("canji.huli.not_severe", REFS)
    return evaluate("canji_huli", (grade, *hukou_note(ctx)))
