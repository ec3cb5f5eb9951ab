"""Where a resident's (non-danger) message goes: one pure function of what was heard and where.

`Engine.route` classifies the message (`bot.dialogs.intents`) and asks `decide`; the intent
tuner (`python -m bot.dialogs.tune_intents`) replays the same `decide` on every held-out training
item at every candidate setting, so the thresholds chosen by cross-validation are scored by
exactly what the engine then does — not by an approximation of it. Nothing here reads storage or
the clock: the flow in progress, its step and the flows this configuration offers are given.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.dialogs.answers.slots import gives_number
from bot.dialogs.base import Flow
from bot.dialogs.choices import normalise
from bot.dialogs.intents import Intent
from bot.sessions import FlowState


def decide(text: str, intent: Intent | None, state: FlowState | None, flow: Flow | None,
           offered: Collection[str]) -> str:
    """`command:<name>`, `flow:<name>`, `offer:<flow>`, `chat:<kind>`, `to_flow` (the running
    flow hears it) or `question`, for `text` of which `intent` was heard (None: nothing) while
    `state` of `flow` runs (None: idle); `offered` names the flows this configuration has."""
    running = flow is not None and state is not None
    if flow is not None and state is not None and normalise(text) == "0" and flow.takes_number(state.step):
        return "to_flow"  # an amount or a count, not the 菜单 shortcut
    if not running and gives_number(text) and (intent is None or not intent.command):
        return "question"  # "我的电话 138…" gives a number (a hint answers); "打我电话 138…" wants a person
    if intent is None or (intent.flow is not None and intent.flow not in offered):
        return "to_flow" if running else "question"
    if intent.chat:
        return "to_flow" if running else f"chat:{intent.chat}"  # 好的 may be a yes
    if flow is not None and state is not None:
        if state.name in (intent.flow, intent.offer):
            # 我要报告 in the middle of a report is an answer; after a result, 再测一次 starts again
            return f"flow:{state.name}" if state.step in flow.done_steps else "to_flow"
        if (intent.guessed or not intent.command) and flow.hears_answer(state, intent.rest):
            return "to_flow"  # an answer first: "居住证没办 不晓得要办" at the 居住证 question
    if intent.command:
        return f"command:{intent.command}"
    if intent.offer:
        return f"offer:{intent.offer}" if intent.offer in offered else "question"
    return f"flow:{intent.flow}"
