"""The questionnaire's end: read-backs of deciding amounts, the result on one phone screen, and
what the resident can ask after it (`详细`, `为什么不符合`, `生成申请`, `修改`).

Why: a misheard amount that turns an eligible family into "不太符合" is the worst error the bot can
make, so an unusual income that decides the result is read back first. The result itself lists
the likely programmes first, one line each; reasons, places and task-list items come on request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.dialogs.answers import vocabulary as words
from bot.dialogs.answers.kinds import Parsed
from bot.dialogs.base import Context, Turn
from bot.dialogs.screening_household import TOGETHER, build
from bot.dialogs.screening_needs import result_request, statuses
from bot.dialogs.screening_questions import questionnaire
from bot.rules import ProgramResult, ScreeningResult, Status, screen
from bot.rules.household import Household
from bot.rules.parameters import load_parameters

if TYPE_CHECKING:
    from bot.dialogs.screening import ScreeningFlow

T = "chat/screening/"
REASONS_SHOWN = 2
DECIDING = ("dibao", "tekun")
DETAILS = ("详细", "详情", "原因", "看详细", "具体", "怎么申请", "为什么符合")


def needs_readback(step: str, parsed: Parsed | None, answers: Mapping[str, Any], today: date) -> str | None:
    """Why an answer just given should be read back, or None: a reader's guess ("unsure:…") at any
    step; an income converted ("yearly", "daily", "per_person") or unusual ("large") that decides."""
    if parsed is not None and parsed.unsure and step not in TOGETHER:
        return parsed.readback
    if step != "income" or parsed is None or not isinstance(parsed.value, dict):
        return None
    draft = build(answers, today)
    found = load_parameters().lookup("dibao.urban_monthly", today)
    line = float(found.value) if found is not None and found.value is not None else 700.0
    per_person = (parsed.value["low"] + parsed.value["high"]) / 2 / len(draft.members)
    reason = parsed.readback or (
        "large" if per_person > questionnaire().readback["income_factor"] * line else None
    )
    if reason is None:
        return None
    low = {**parsed.value, "low": line * len(draft.members) * 0.5, "high": line * len(draft.members) * 0.5}
    now, then = statuses(answers, today), statuses({**answers, step: low}, today)
    programs = [r.program for r in screen(Household.from_dict(draft.request()), today).results]
    decides = any(a != b for p, a, b in zip(programs, now, then, strict=True) if p in DECIDING)
    return reason if decides else None


def program_line(result: ProgramResult) -> dict[str, Any]:
    wanted = {Status.LIKELY: "passed", Status.POSSIBLE: "unknown", Status.UNLIKELY: "failed"}[result.status]
    reasons = [r.text for r in result.reasons if r.outcome.value == wanted] or [
        r.text for r in result.reasons if r.outcome.value != "failed"
    ]
    return {
        "name": result.name,
        "reasons": reasons[:REASONS_SHOWN],
        "next_step": result.next_step,
        "refs": "、".join(str(ref) for ref in result.refs),
    }


def _screen(flow: ScreeningFlow, ctx: Context, as_of: date) -> ScreeningResult:
    return screen(Household.from_dict(result_request(flow._answers(ctx), as_of)), as_of)


async def render_result(flow: ScreeningFlow, ctx: Context) -> Turn:
    as_of = flow.today()
    result = _screen(flow, ctx, as_of)
    ctx.state.data["as_of"] = as_of.isoformat()
    request = build(flow._answers(ctx), as_of).request()
    await ctx.services.screenings.save(ctx.user, payload(result, request))
    by_status = {s: [program_line(r) for r in result.results if r.status is s] for s in Status}
    reply = ctx.say(
        T + "result.txt",
        likely=by_status[Status.LIKELY],
        possible=by_status[Status.POSSIBLE],
        unlikely_count=len(by_status[Status.UNLIKELY]),
        where=result.where.criterion.text,
    )
    return Turn([reply], next_step="result")


async def result_turn(flow: ScreeningFlow, ctx: Context, text: str) -> Turn:
    """After the result: details, the programmes that do not fit, the application, or an edit."""
    as_of = date.fromisoformat(ctx.state.data["as_of"])
    said = words.said(text)
    if said in DETAILS or any(said.startswith(w) for w in DETAILS):
        result = _screen(flow, ctx, as_of)
        shown = [
            program_line(r) for s in (Status.LIKELY, Status.POSSIBLE) for r in result.results if r.status is s
        ]
        return Turn(
            [
                ctx.say(
                    T + "details.txt", programs=shown, notice=result.notice, where=result.where.criterion.text
                )
            ],
            next_step="result",
        )
    if words.means(text, "why_not"):
        result = _screen(flow, ctx, as_of)
        unlikely = [program_line(r) for r in result.results if r.status is Status.UNLIKELY]
        return Turn([ctx.say(T + "unlikely.txt", programs=unlikely)], next_step="result")
    if words.means(text, "apply"):
        return Turn([], next_step=None, then="application")
    if words.means(text, "edit"):
        return Turn([ctx.say(T + "edit.txt", lines=flow._summary(ctx))], next_step="edit")
    return Turn([ctx.say(T + "closed.txt")], next_step=None, invalid=True)


def payload(result: ScreeningResult, request: dict[str, Any]) -> dict[str, Any]:
    """What `ScreeningResults` keeps for the application flow."""
    return {
        "as_of": result.as_of.isoformat(),
        "household": request,
        "results": [
            {"program": r.program, "name": r.name, "status": r.status.value, "refs": list(r.refs)}
            for r in result.results
        ],
    }
