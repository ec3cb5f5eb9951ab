"""Every programme evaluated over one context, and the order between 特困 and 低保.

Why: `screen` (the results residents see) and `open_inputs` (which answers could still change
them) must evaluate the programmes in exactly one way; this is it. 低保 and 特困 come first
because the other programmes' means tests follow the household's standing in them.
"""

from __future__ import annotations

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


def evaluate_all(ctx: Context) -> tuple[dict[str, Evaluation], bool]:
    """Every programme's evaluation, and whether 特困 goes before 低保."""
    household = ctx.household
    first = {"dibao": dibao(ctx), "tekun": tekun(ctx)}
    assisted = best_status(_receiving(household), first["dibao"].status, first["tekun"].status)
    standing = Standing(assisted, best_status(assisted, low_income(ctx).status))
    found = {
        **first,
        "linshi": linshi(ctx),
        "yiliao": yiliao(ctx, standing),
        "jiaoyu": jiaoyu(ctx, standing),
        "zhufang": zhufang(ctx, standing),
        "jiuye": jiuye(ctx, standing),
        "shouzai": shouzai(ctx),
        "canji_shenghuo": canji_shenghuo(ctx, standing),
        "canji_huli": canji_huli(ctx),
        "guer": guer(ctx),
        "kunjing_ertong": kunjing_ertong(ctx),
        "falv": falv(ctx, standing),
    }
    return found, _tekun_first(ctx, found)
