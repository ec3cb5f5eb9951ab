"""孤儿基本生活保障 and 事实无人抚养儿童保障 (item 10): decided by the parents' situation alone.

Why: neither is means-tested, so a child whose parents are dead, missing, in prison or severely
disabled or ill is flagged whatever the household income.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.rules.context import Context
from bot.rules.criteria import Criterion, Evaluation, best, evaluate, failed, passed, unknown
from bot.rules.disability import hukou_note
from bot.rules.household import ParentStatus

REFS = (10,)
D, M = ParentStatus.DECEASED, ParentStatus.MISSING
Parents = tuple[ParentStatus | None, ParentStatus | None]
_UNAVAILABLE = frozenset({D, M, ParentStatus.INCARCERATED, ParentStatus.DISABLED_OR_ILL})


def _orphan(parents: Parents) -> Criterion:
    if parents == (D, D):
        return passed("guer.both_deceased", REFS)
    if set(parents) <= {D, M}:
        return unknown("guer.missing", REFS)
    if None in parents and set(parents) - {None} <= _UNAVAILABLE:
        return unknown("children.parents_unknown", REFS)
    return failed("guer.parent_present", REFS)


def _unsupported(parents: Parents) -> Criterion:
    if parents == (D, D):
        return failed("kunjing.orphan", REFS)
    if None in parents and set(parents) - {None} <= _UNAVAILABLE:
        return unknown("children.parents_unknown", REFS)
    if not set(parents) <= _UNAVAILABLE:
        return failed("kunjing.parent_able", REFS)
    if ParentStatus.DISABLED_OR_ILL in parents:
        return unknown("kunjing.severity", REFS)
    return passed("kunjing.both_unavailable", REFS)


def _children(ctx: Context) -> tuple[list[int], bool]:
    """Members under the age limit, and whether a member of unknown age might be one."""
    limit = ctx.age_limit("guer.age_limit")
    if limit is None:
        return [], True
    children = [i for i, m in enumerate(ctx.members) if m.age is not None and m.age < limit]
    return children, any(m.age is None for m in ctx.members)


def _programme(ctx: Context, program: str, check: Callable[[Parents], Criterion]) -> Evaluation:
    """Each child's parents: as answered, or the parents who live at home."""
    children, maybe = _children(ctx)
    routes = [evaluate(program, (check(ctx.parents(c)), *hukou_note(ctx)), members=(c,)) for c in children]
    if maybe:
        routes.append(evaluate(program, (unknown("children.age_unknown", REFS),)))
    if not routes:
        return evaluate(program, (failed("children.none", REFS),))
    return best(*routes)


def guer(ctx: Context) -> Evaluation:
    return _programme(ctx, "guer", _orphan)


def kunjing_ertong(ctx: Context) -> Evaluation:
    return _programme(ctx, "kunjing_ertong", _unsupported)
