"""救助自测 in chat: consent, the questions that matter, a summary to correct, then the result.

Why: residents (often elderly, often by voice) learn which assistance they may get without filling
a form. The questions are data (`screening.yaml`); each reply is read by its answer kind, every
other fact the reply gives is kept (`screening_story`), and the next question is the first one the
rules still need (`screening_needs`). "不对 是八百" corrects an earlier answer at any step; an
unusual amount that decides the result is read back first. The result comes from the same
`bot.rules.screen` the HTTP API calls and is kept for the application flow.

Steps: `consent` → question steps (`age`, `member_age:1`, `school:2` …, `confirm:income`) →
`summary` (→ `edit` → a question → `summary`) → `result` (`详细`, `为什么不符合`, `生成申请`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot import clock
from bot.dialogs.answers import vocabulary as words
from bot.dialogs.answers.kinds import Ask, Parsed, kind
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.choices import ordinal
from bot.dialogs.screening_corrections import apply_correction
from bot.dialogs.screening_household import Draft, build
from bot.dialogs.screening_needs import SEVERAL, next_step, several, steps
from bot.dialogs.screening_questions import questionnaire
from bot.dialogs.screening_readback import CONFIRM, on_readback, readback_target
from bot.dialogs.screening_result import render_result, result_turn
from bot.dialogs.screening_story import extras
from bot.sessions import FlowState

T = "chat/screening/"
DAY = 86400


class ScreeningFlow(Flow):
    name = "screening"
    first_step = "consent"
    resumable = True
    done_steps = frozenset({"result"})
    hears_danger = True  # "出了车祸 还在抢救": the emergency numbers first, and it is still an answer
    hears_story = True  # "我一个人带两个孙子 …" told before 自测: its facts are taken, not asked again

    def __init__(self, today: Callable[[], date] = clock.today) -> None:
        self.today = today

    def takes_number(self, step: str) -> bool:
        q = questionnaire()
        return q.is_question(step) and q.question(step)[0].kind.takes_number

    def hears_answer(self, state: FlowState, text: str) -> bool:
        q = questionnaire()
        if not text or not q.is_question(state.step):
            return False
        question, _ = q.question(state.step)
        draft = build(state.data.get("answers", {}), self.today())
        parsed = question.kind.parse(text, Ask(self.today(), size=len(draft.members)))
        return parsed is not None and parsed.problem is None and (parsed.value is not None or parsed.unknown)

    def explain(self, state: FlowState) -> tuple[str, str] | None:
        q = questionnaire()
        if not q.is_question(state.step):
            return None
        question, _ = q.question(state.step)
        return question.hint, question.why

    # -- prompts --------------------------------------------------------------------------------

    async def prompt(self, ctx: Context) -> list[Reply]:
        step = ctx.state.step
        if step == "consent":
            settings = ctx.services.settings
            return [
                ctx.say(
                    T + "consent.txt",
                    session_minutes=settings.session_ttl // 60,
                    resume_days=settings.resume_ttl // DAY,
                    result_days=settings.draft_ttl // DAY,
                )
            ]
        if step in ("summary", "edit"):
            return [ctx.say(T + f"{step}.txt", lead=None, lines=self._summary(ctx))]
        if step == "result":
            return [ctx.say(T + "result_options.txt")]
        return [self._question(ctx, step)]

    def _question(self, ctx: Context, step: str, lead: str = "") -> Reply:
        draft = self._draft(ctx)
        if step.startswith(CONFIRM):
            target = step.removeprefix(CONFIRM)
            question, member = questionnaire().question(target)
            shown = question.kind.describe(self._answers(ctx)[target], self._ask(ctx, target))
            return ctx.say(
                T + "readback.txt",
                lead=lead,
                label=question.label.format(who=draft.who(member) if member is not None else "您"),
                value=shown,
                reason=ctx.state.data.get("readback"),
            )
        question, member = questionnaire().question(step)
        who = draft.who(member) if member is not None else "您"
        if step in SEVERAL:
            who = "、".join(draft.who(i) for i in several(step, draft))
        options = draft.labels() if question.kind_name == "who" else []
        answers = self._answers(ctx)
        previous = question.kind.describe(answers[step], self._ask(ctx, step)) if step in answers else None
        return ctx.say(
            T + "question.txt",
            lead=lead,
            number=self._number(ctx),
            prompt=question.prompt.format(who=who),
            choices=options,
            previous=previous,
        )

    def _number(self, ctx: Context) -> int:
        return len(ctx.state.data.get("order", [])) + 1

    # -- answers --------------------------------------------------------------------------------

    async def handle(self, ctx: Context, text: str) -> Turn:
        step = ctx.state.step
        if step == "consent":
            return self._consent(ctx, text)
        if step == "summary":
            return await self._on_summary(ctx, text)
        if step == "edit":
            return self._on_edit(ctx, text)
        if step == "result":
            return await result_turn(self, ctx, text)
        if step.startswith(CONFIRM):
            return on_readback(self, ctx, step.removeprefix(CONFIRM), text)
        return self._on_answer(ctx, step, text)

    def _consent(self, ctx: Context, text: str) -> Turn:
        parsed = kind("consent").parse(text, Ask(self.today()))
        said = None if parsed is None else parsed.value
        if said is None and ordinal(text) in (1, 2):
            said = ordinal(text) == 1
        if said is False:
            return Turn([ctx.say(T + "declined.txt")], next_step=None)
        if said is None:
            return Turn([ctx.say(T + "consent_hint.txt")], next_step="consent", invalid=True)
        self._answers(ctx)
        story = ctx.state.data.pop("story", None)  # read only once the resident has agreed
        return self._go(ctx, self._take_story(ctx, story) if story else [])

    def _take_story(self, ctx: Context, story: str) -> list[str]:
        """The answers the story told before 自测 already gives, noted (and shown) as answers."""
        answers = self._answers(ctx)
        heard = []
        for step, value in extras("story", story, answers, self._draft(ctx), self._ask(ctx, "age")).items():
            answers[step] = value
            self._mark(ctx, step)
            heard.append(step)
        return heard

    def _on_answer(self, ctx: Context, step: str, text: str) -> Turn:
        question, _ = questionnaire().question(step)
        fixed = apply_correction(self, ctx, step, text)
        if fixed is not None:
            return self._go(ctx, [fixed], corrected=True)
        if words.is_unknown(text):
            return self._store(ctx, step, None, text)
        parsed = question.kind.parse(text, self._ask(ctx, step))
        if parsed is not None and parsed.unknown:
            return self._store(ctx, step, None, text)
        if parsed is not None and parsed.problem is None and (parsed.value is not None or parsed.readback):
            return self._store(ctx, step, parsed, text)
        problem = parsed.problem if parsed is not None else None
        return self._retry(ctx, step, problem)

    def _store(self, ctx: Context, step: str, parsed: Parsed | None, text: str) -> Turn:
        answers = self._answers(ctx)
        value = None if parsed is None else parsed.value
        answers[step] = value
        self._mark(ctx, step)
        heard = [step]
        if value is not None:
            for extra_step, extra in extras(
                step, text, answers, self._draft(ctx), self._ask(ctx, step)
            ).items():
                answers[extra_step] = extra
                self._mark(ctx, extra_step)
                heard.append(extra_step)
        target, reason = readback_target(self, ctx, step, parsed)
        if reason is not None:
            ctx.state.data["readback"] = reason
            return Turn([self._question(ctx, CONFIRM + target)], next_step=CONFIRM + target)
        return self._go(ctx, heard)

    def _retry(self, ctx: Context, step: str, problem: str | None) -> Turn:
        """A hint first; from the second failed try, why the question matters and 跳过 / 人工."""
        question, _ = questionnaire().question(step)
        lead = ctx.render(
            T + "retry.txt", hint=question.hint, why=question.why, offer=ctx.state.tries >= 1, problem=problem
        )
        return Turn([self._question(ctx, step, lead=lead)], next_step=step, invalid=problem is None)

    def _go(self, ctx: Context, heard: list[str], corrected: bool = False) -> Turn:
        """On to the next open question (or the summary), saying what was just noted."""
        lead = self._heard(ctx, heard, corrected)
        if ctx.state.data.get("editing"):
            ctx.state.data.pop("editing")
            following = next_step(self._answers(ctx), self.today()) or "summary"
        else:
            following = next_step(self._answers(ctx), self.today()) or "summary"
        if (
            corrected
            and ctx.state.step not in ("summary", "consent")
            and ctx.state.step in steps(self._draft(ctx))
            and ctx.state.step not in self._answers(ctx)
        ):
            following = ctx.state.step
        if following == "summary":
            return Turn(
                [ctx.say(T + "summary.txt", lead=lead, lines=self._summary(ctx))], next_step="summary"
            )
        return Turn([self._question(ctx, following, lead=lead)], next_step=following)

    def _heard(self, ctx: Context, heard: list[str], corrected: bool) -> str:
        answers = self._answers(ctx)
        lines = [self._line(ctx, s) for s in heard if s in answers and answers[s] is not None]
        if not lines:
            return ""
        return ctx.render(T + "heard.txt", lines=lines, corrected=corrected)

    def _line(self, ctx: Context, step: str) -> str:
        question, member = questionnaire().question(step)
        draft = self._draft(ctx)
        who = draft.who(member) if member is not None and member < len(draft.members) else "您"
        value = question.kind.describe(self._answers(ctx)[step], self._ask(ctx, step))
        return f"{question.label.format(who=who)}：{value}"

    # -- summary and edits ----------------------------------------------------------------------

    def _summary(self, ctx: Context) -> list[str]:
        answers = self._answers(ctx)
        return [self._line(ctx, s) for s in self._answered_steps(ctx) if s in answers]

    def _answered_steps(self, ctx: Context) -> list[str]:
        answers = self._answers(ctx)
        return [s for s in steps(self._draft(ctx)) if s in answers]

    async def _on_summary(self, ctx: Context, text: str) -> Turn:
        fixed = apply_correction(self, ctx, "summary", text)
        if fixed is not None:  # "不对 老伴是七十": corrected here, then the summary again
            return self._go(ctx, [fixed], corrected=True)
        if words.yes_no(text) is True:
            return await render_result(self, ctx)
        if words.means(text, "edit") or words.yes_no(text) is False:
            return Turn([ctx.say(T + "edit.txt", lines=self._summary(ctx))], next_step="edit")
        if ordinal(text) is not None:
            return self._on_edit(ctx, text)
        return Turn([ctx.say(T + "summary_hint.txt")], next_step="summary", invalid=True)

    def _on_edit(self, ctx: Context, text: str) -> Turn:
        answered, number = self._answered_steps(ctx), ordinal(text)
        if number is None or not 1 <= number <= len(answered):
            hint = ctx.say(T + "edit_hint.txt", count=len(answered))
            return Turn([hint], next_step=ctx.state.step, invalid=True)
        ctx.state.data["editing"] = True
        step = answered[number - 1]
        return Turn([self._question(ctx, step)], next_step=step)

    # -- state ----------------------------------------------------------------------------------

    def _answers(self, ctx: Context) -> dict[str, Any]:
        return ctx.state.data.setdefault("answers", {})

    def _mark(self, ctx: Context, step: str) -> None:
        order = ctx.state.data.setdefault("order", [])
        if step in order:
            order.remove(step)
        order.append(step)

    def _draft(self, ctx: Context) -> Draft:
        return build(self._answers(ctx), self.today())

    def _ask(self, ctx: Context, step: str) -> Ask:
        draft = self._draft(ctx)
        _, member = questionnaire().question(step) if questionnaire().is_question(step) else (None, None)
        age = draft.members[member].age if member is not None and member < len(draft.members) else None
        about = several(step, draft) if step in SEVERAL else []
        members = tuple(
            (i, draft.members[i].relation, draft.members[i].word, draft.members[i].age) for i in about
        )
        return Ask(
            self.today(), size=len(draft.members), age=age, options=tuple(draft.labels()), members=members
        )
