"""Every programme evaluated over one context, and the order between 特困 and 低保.

Why: `screen` (the results residents see) and `open_inputs` (which answers could still change
them) must evaluate the programmes in exactly one way; this is it. 低保 and 特困 come first
because the other programmes' means tests follow the household's standing in them.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.rules.children import guer, kunjing_ertong
from bot.rules.context import Context, Standing
from bot.rules.criteria import Evaluation, Status, best_status, passed
from bot.rules.dibao import dibao, low_income
from bot.rules.disability import canji_huli, canji_shenghuo
from bot.rules.household import Household
from bot.rules.linshi import linshi
from bot.rules.special import falv, jiaoyu, jiuye, shouzai, yiliao, zhufang
from bot.rules.tekun import tekun


def _receiving(household: Household) -> Status:
    """Already receiving 低保 or 特困: yes, no, or not known."""
    current = household.current_programs
    if current is None:
        return Status.POSSIBLE
    return Status.LIKELY if current & {"dibao", "tekun"} else Status.UNLIKELY


def _tekun_first(ctx: Context, found: dict[str, Evaluation]) -> bool:
    """Both could apply to one person: 特困 comes first (it pays more; policy-facts §7), and both say why."""
    tekun_, dibao_ = found["tekun"], found["dibao"]
    if Status.UNLIKELY in (tekun_.status, dibao_.status) or not set(tekun_.members) & set(dibao_.members):
        return False
    who = ctx.who(tekun_.members[0])
    for program, key in (("tekun", "tekun.before_dibao"), ("dibao", "dibao.tekun_first")):
        was = found[program]
        note = passed(key, (2,), relation=who)  # item 2: the two standards
        found[program] = Evaluation(was.program, was.status, (note, *was.criteria), was.place, was.members,
                                    was.ties)
    return True


# The programmes in result order; those whose means test follows the household's standing in
# 低保 and 特困 (`Standing`) take it as a second argument.
FIRST = ("dibao", "tekun")
_OWN: dict[str, Callable[[Context], Evaluation]] = {
    "dibao": dibao, "tekun": tekun, "linshi": linshi, "shouzai": shouzai, "canji_huli": canji_huli,
    "guer": guer, "kunjing_ertong": kunjing_ertong,
}
_BY_STANDING: dict[str, Callable[[Context, Standing], Evaluation]] = {
    "yiliao": yiliao, "jiaoyu": jiaoyu, "zhufang": zhufang, "jiuye": jiuye, "canji_shenghuo": canji_shenghuo,
    "falv": falv,
}
ORDER = ("dibao", "tekun", "linshi", "yiliao", "jiaoyu", "zhufang", "jiuye", "shouzai", "canji_shenghuo",
         "canji_huli", "guer", "kunjing_ertong", "falv")
BY_STANDING = frozenset(_BY_STANDING)


def standing_of(household: Household, dibao_: Status, tekun_: Status, low_income_: Status) -> Standing:
    assisted = best_status(_receiving(household), dibao_, tekun_)
    return Standing(assisted, best_status(assisted, low_income_))


def evaluate_one(ctx: Context, program: str, standing: Standing | None = None) -> Evaluation:
    """One programme (`standing` is needed by those in `BY_STANDING`); `lowincome` is the band."""
    if program == "lowincome":
        return low_income(ctx)
    if program in _BY_STANDING:
        assert standing is not None
        return _BY_STANDING[program](ctx, standing)
    return _OWN[program](ctx)


def evaluate_all(ctx: Context) -> tuple[dict[str, Evaluation], bool]:
    """Every programme's evaluation, and whether 特困 goes before 低保."""
    first = {program: evaluate_one(ctx, program) for program in FIRST}
    band = low_income(ctx).status
    standing = standing_of(ctx.household, first["dibao"].status, first["tekun"].status, band)
    found = {program: first.get(program) or evaluate_one(ctx, program, standing) for program in ORDER}
    return found, _tekun_first(ctx, found)
