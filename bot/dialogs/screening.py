"""救助自测 in chat: consent, one question at a time, a summary to correct, then the rules' result.

Why: residents (often elderly, often by voice) learn which assistance they may get without filling
a form. The questions and their routing are data (`screening.yaml`, `screening_questions.py`);
this module is the conversation around them: PIPL consent before anything is asked, re-asking
with a hint, offering `跳过`/`人工` after two failed tries, the summary with `修改`, and the result,
computed by the same `bot.rules.screen` the HTTP API calls and kept for the application flow.

Steps: `consent` → question steps (`age`, `member:1`, `school:2` …) → `summary` (→ `edit` → a
question → `summary`) → `result`, which stays open for `为什么不符合` and `生成申请`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.dialogs import answers as parse
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.choices import ordinal
from bot.dialogs.screening_household import Draft, Walk, walk
from bot.dialogs.screening_questions import DONE, NotAnAnswer, Question, options, questionnaire, understand
from bot.rules import ProgramResult, ScreeningResult, Status, screen
from bot.rules.parameters import load_parameters
from bot.screening_results import ScreeningResults

T = "chat/screening/"
NUMERIC_KINDS = frozenset({"money", "monthly_money", "age", "count", "years"})
REASONS_SHOWN = 2
DAY = 86400


class ScreeningFlow(Flow):
    name = "screening"
    first_step = "consent"
    resumable = True
    done_steps = frozenset({"result"})

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        self.today = today

    def takes_number(self, step: str) -> bool:
        q = questionnaire()
        return q.is_question(step) and q.question(step)[0].kind in NUMERIC_KINDS

    # -- prompts --------------------------------------------------------------------------------

    async def prompt(self, ctx: Context) -> list[Reply]:
        step = ctx.state.step
        if step == "consent":
            settings = ctx.services.settings
            return [ctx.say(T + "consent.txt", session_minutes=settings.session_ttl // 60,
                            resume_days=settings.resume_ttl // DAY, result_days=settings.draft_ttl // DAY)]
        if step in ("summary", "edit"):
            return [ctx.say(T + f"{step}.txt", lines=self._summary(ctx))]
        if step == "result":
            return [ctx.say(T + "result_options.txt", can_apply=ctx.services.applications is not None)]
        self._settle(ctx)
        return [self._question(ctx, ctx.state.step)]

    def _settle(self, ctx: Context) -> None:
        """After `返回` onto a question an edit has since made irrelevant, go back further."""
        steps = self._walk(ctx).steps
        state = ctx.state
        while state.step not in steps and state.history:
            state.step = state.history.pop()

    def _question(self, ctx: Context, step: str, lead: str = "") -> Reply:
        question, member = questionnaire().question(step)
        draft = self._walk(ctx).draft
        text = question.prompt
        if question.kind == "member" and step != f"{question.id}:1":
            text = question.prompt_more
        if question.kind == "workers" and len(draft.workers) > 1:
            text = question.prompt_several
        who = draft.who(_subject(question, member, draft))
        answers = self._answers(ctx)
        previous = self._describe(question, member, answers[step], draft) if step in answers else None
        return ctx.say(
            T + "question.txt", lead=lead, number=self._number(ctx, step), kind=question.kind,
            prompt=text.format(who=who, permit_years=self._permit_years()),
            choices=options(question, member, draft), footer=question.footer, previous=previous,
        )

    def _number(self, ctx: Context, step: str) -> int:
        """The question's number as the resident sees it: questions answered on the way here, plus one."""
        history = ctx.state.history if ctx.state.step == step else [*ctx.state.history, ctx.state.step]
        return sum(1 for s in history if questionnaire().is_question(s)) + 1

    def _permit_years(self) -> str:
        found = load_parameters().lookup("residence_permit.min_years", self.today())
        return "" if found is None or found.value is None else f"{found.value:g}"

    # -- answers --------------------------------------------------------------------------------

    async def handle(self, ctx: Context, text: str) -> Turn:
        step = ctx.state.step
        if step == "consent":
            return await self._consent(ctx, text)
        if step == "summary":
            return await self._on_summary(ctx, text)
        if step == "edit":
            return self._on_edit(ctx, text)
        if step == "result":
            return await self._on_result(ctx, text)
        return self._on_answer(ctx, step, text)

    async def _consent(self, ctx: Context, text: str) -> Turn:
        q = questionnaire()
        if q.says("decline", text) or ordinal(text) == 2:
            return Turn([ctx.say(T + "declined.txt")], next_step=None)
        if q.says("consent", text) or ordinal(text) == 1:
            self._answers(ctx)  # kept when 返回 leads back here: answers are shown again, not lost
            return self._go(ctx, self._walk(ctx).steps[0])
        return Turn([ctx.say(T + "consent_hint.txt")], next_step="consent", invalid=True)

    def _on_answer(self, ctx: Context, step: str, text: str) -> Turn:
        question, member = questionnaire().question(step)
        if parse.is_unknown(text):
            value: Any = None
        elif parse.looks_like_question(text):
            return self._retry(ctx, question, step)
        else:
            try:
                value = understand(question, member, text, self._walk(ctx).draft)
            except NotAnAnswer:
                return self._retry(ctx, question, step)
        self._answers(ctx)[step] = value
        return self._go(ctx, self._next(ctx, step))

    def _retry(self, ctx: Context, question: Question, step: str) -> Turn:
        """A hint first; from the second failed try, why the question matters and 跳过 / 人工."""
        why = question.why.format(permit_years=self._permit_years())
        lead = ctx.render(T + "retry.txt", hint=question.hint, why=why, offer=ctx.state.tries >= 1)
        return Turn([self._question(ctx, step, lead=lead)], next_step=step, invalid=True)

    def _next(self, ctx: Context, step: str) -> str:
        """The question after `step` in this household's list; while editing, the first question
        still unanswered, else the summary."""
        steps, answers = self._walk(ctx).steps, self._answers(ctx)
        if ctx.state.data.get("editing") or step not in steps:
            return next((s for s in steps if s not in answers), "summary")
        later = steps[steps.index(step) + 1:]
        return later[0] if later else "summary"

    def _go(self, ctx: Context, step: str) -> Turn:
        if step == "summary":
            ctx.state.data.pop("editing", None)
            return Turn([ctx.say(T + "summary.txt", lines=self._summary(ctx))], next_step=step)
        return Turn([self._question(ctx, step)], next_step=step)

    # -- summary and corrections ----------------------------------------------------------------

    def _summary(self, ctx: Context) -> list[str]:
        walked, answers = self._walk(ctx), self._answers(ctx)
        lines = []
        for step in walked.steps:
            if step in answers:
                question, member = questionnaire().question(step)
                label = question.label.format(who=walked.draft.who(_subject(question, member, walked.draft)))
                lines.append(f"{label}：{self._describe(question, member, answers[step], walked.draft)}")
        return lines

    def _answered_steps(self, ctx: Context) -> list[str]:
        answers = self._answers(ctx)
        return [s for s in self._walk(ctx).steps if s in answers]

    async def _on_summary(self, ctx: Context, text: str) -> Turn:
        q = questionnaire()
        if q.says("confirm", text):
            return await self._result(ctx)
        if q.says("edit", text):
            return Turn([ctx.say(T + "edit.txt", lines=self._summary(ctx))], next_step="edit")
        if ordinal(text) is not None:
            return self._on_edit(ctx, text)
        return Turn([ctx.say(T + "summary_hint.txt")], next_step="summary", invalid=True)

    def _on_edit(self, ctx: Context, text: str) -> Turn:
        steps, number = self._answered_steps(ctx), ordinal(text)
        if number is None or not 1 <= number <= len(steps):
            hint = ctx.say(T + "edit_hint.txt", count=len(steps))
            return Turn([hint], next_step=ctx.state.step, invalid=True)
        ctx.state.data["editing"] = True
        return self._go(ctx, steps[number - 1])

    def _describe(self, question: Question, member: int | None, answer: Any, draft: Draft) -> str:
        shown = questionnaire().display
        if answer is None:
            return shown["unknown"]
        kind = question.kind
        if kind == "member":
            if answer == DONE:
                return shown["done"]
            age = answer["age"]
            return answer["word"] if age is None else shown["age"].format(value=f"{answer['word']} {age}")
        if kind in ("multi", "members", "workers"):
            labels = [draft.who(i) for i in answer] if kind != "multi" else [
                question.choices[i].label for i in answer]
            return "、".join(labels) if labels else shown["none"]
        if kind == "choice":
            return question.choices[answer].label
        if kind in ("money", "monthly_money"):
            return shown[kind].format(amount=f"{answer:.2f}".rstrip("0").rstrip("."))
        if kind == "years":
            return _held(answer, shown)
        return shown[kind].format(value=f"{answer:g}")

    # -- the result -----------------------------------------------------------------------------

    async def _result(self, ctx: Context) -> Turn:
        as_of = self.today()
        draft = self._walk(ctx).draft
        result = screen(draft.household(), as_of)
        ctx.state.data["as_of"] = as_of.isoformat()
        store = ScreeningResults(ctx.services.redis, ctx.services.sealer, ctx.services.settings.draft_ttl)
        await store.save(ctx.user, payload(result, draft.request_shape()))
        return Turn([self._render_result(ctx, result)], next_step="result")

    def _render_result(self, ctx: Context, result: ScreeningResult) -> Reply:
        by_status = {status: [_program(r) for r in result.results if r.status is status] for status in Status}
        return ctx.say(
            T + "result.txt", likely=by_status[Status.LIKELY], possible=by_status[Status.POSSIBLE],
            unlikely_count=len(by_status[Status.UNLIKELY]), notice=result.notice,
            where=result.where.criterion.text, can_apply=ctx.services.applications is not None,
        )

    async def _on_result(self, ctx: Context, text: str) -> Turn:
        q = questionnaire()
        if q.says("why_not", text):
            result = screen(self._walk(ctx).draft.household(), date.fromisoformat(ctx.state.data["as_of"]))
            unlikely = [_program(r) for r in result.results if r.status is Status.UNLIKELY]
            return Turn([ctx.say(T + "unlikely.txt", programs=unlikely)], next_step="result")
        if q.says("apply", text):
            if ctx.services.applications is not None:
                return Turn([], next_step=None, then="application")
            return Turn([ctx.say(T + "apply_unavailable.txt")], next_step="result")
        if q.says("edit", text):
            return Turn([ctx.say(T + "edit.txt", lines=self._summary(ctx))], next_step="edit")
        return Turn([ctx.say(T + "closed.txt")], next_step=None, invalid=True)

    # -- state ----------------------------------------------------------------------------------

    def _answers(self, ctx: Context) -> dict[str, Any]:
        return ctx.state.data.setdefault("answers", {})

    def _walk(self, ctx: Context) -> Walk:
        return walk(self._answers(ctx), self.today())


def _subject(question: Question, member: int | None, draft: Draft) -> int:
    """The member a question is about: its own member, the one worker, else the resident."""
    if question.kind == "workers" and draft.workers:
        return draft.workers[0]
    return member if member is not None and member < len(draft.members) else 0


def _program(result: ProgramResult) -> dict[str, Any]:
    """What the result templates show of one programme: name, reasons in plain words, next step."""
    wanted = {Status.LIKELY: "passed", Status.POSSIBLE: "unknown", Status.UNLIKELY: "failed"}[result.status]
    reasons = [r.text for r in result.reasons if r.outcome.value == wanted] or [
        r.text for r in result.reasons if r.outcome.value != "failed"]
    return {"name": result.name, "reasons": reasons[:REASONS_SHOWN], "next_step": result.next_step,
            "refs": "、".join(str(ref) for ref in result.refs)}


def payload(result: ScreeningResult, request: dict[str, Any]) -> dict[str, Any]:
    """What `ScreeningResults` keeps for the application flow."""
    return {
        "as_of": result.as_of.isoformat(),
        "household": request,
        "results": [{"program": r.program, "name": r.name, "status": r.status.value, "refs": list(r.refs)}
                    for r in result.results],
    }


def _held(years: float, shown: dict[str, str]) -> str:
    """How long a 居住证 is held, in words: 1.17 (14 months) -> 1年2个月, 0.67 -> 8个月."""
    if years == 0:
        return shown["no_permit"]
    whole, months = divmod(round(years * 12), 12)
    if not months:
        return shown["years"].format(value=whole)
    if not whole:
        return shown["months"].format(months=months)
    return shown["years_months"].format(years=whole, months=months)
