"""Reading back an unusual answer before it decides the result ("每月三万？" — 对 / 不对 / the right figure).

Why: a misheard amount (voice input, a stray digit) would silently change what a household is
told; an answer `needs_readback` flags is confirmed first. A part of a together-question that
needs it (the income of `earnings`) becomes its own answer, read back and corrected alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogs.answers import vocabulary as words
from bot.dialogs.answers.kinds import Parsed
from bot.dialogs.base import Context, Turn
from bot.dialogs.choices import ordinal
from bot.dialogs.screening_household import TOGETHER
from bot.dialogs.screening_questions import questionnaire
from bot.dialogs.screening_result import needs_readback

if TYPE_CHECKING:
    from bot.dialogs.screening import ScreeningFlow

T = "chat/screening/"
CONFIRM = "confirm:"


def readback_target(flow: ScreeningFlow, ctx: Context, step: str,
                    parsed: Parsed | None) -> tuple[str, str | None]:
    """The answer to read back and why, or (step, None). A part of a together-question that
    needs it (the income of `earnings`) becomes its own answer, read back and corrected alone."""
    answers = flow._answers(ctx)
    reason = needs_readback(step, parsed, answers, flow.today())
    if reason is not None or parsed is None or step not in TOGETHER or not isinstance(parsed.value, dict):
        return step, reason
    for part in TOGETHER[step]:
        if part in parsed.value:
            about = parsed.part in (None, part)
            said = Parsed(parsed.value[part], readback=parsed.readback if about else None)
            reason = needs_readback(part, said, answers, flow.today())
            if reason is not None:
                answers[step] = {k: v for k, v in parsed.value.items() if k != part}
                answers[part] = parsed.value[part]
                flow._mark(ctx, part)
                return part, reason
    return step, None

def on_readback(flow: ScreeningFlow, ctx: Context, target: str, text: str) -> Turn:
    said = words.yes_no(text)
    if said is None and ordinal(text) in (1, 2):
        said = ordinal(text) == 1
    if said is True:
        ctx.state.data.pop("readback", None)
        return flow._go(ctx, [target])
    question, _ = questionnaire().question(target)
    parsed = question.kind.parse(words.correction(text) or text, flow._ask(ctx, target))
    if parsed is not None and parsed.value is not None and parsed.problem is None:
        flow._answers(ctx)[target] = parsed.value
        ctx.state.data.pop("readback", None)
        return flow._go(ctx, [target])
    if said is False:
        flow._answers(ctx).pop(target, None)
        return Turn(
            [flow._question(ctx, target, lead=ctx.render(T + "readback_again.txt"))], next_step=target
        )
    return Turn([flow._question(ctx, CONFIRM + target)], next_step=CONFIRM + target, invalid=True)
