"""Conversation flows, one module each; `default_flows` is the registry the engine uses.

Each later capability adds its flow here (and an entry in `menu.yaml` to offer it in the menu).
`warm` loads what the questionnaire and the application read answers with, for a server's warm-up.
"""

from __future__ import annotations

from bot.dialogs.base import Flow


def default_flows() -> dict[str, Flow]:
    from bot.dialogs.application import ApplicationFlow
    from bot.dialogs.delete_data import DeleteDataFlow
    from bot.dialogs.info import AskFlow, ContactFlow, HelpFlow, HumanFlow
    from bot.dialogs.my_applications import MyApplicationsFlow
    from bot.dialogs.report import ReportFlow
    from bot.dialogs.screening import ScreeningFlow

    flows: list[Flow] = [
        HelpFlow(), ContactFlow(), HumanFlow(), AskFlow(), ScreeningFlow(),
        ApplicationFlow(), MyApplicationsFlow(), ReportFlow(), DeleteDataFlow(),
    ]
    return {flow.name: flow for flow in flows}


# Any reply, spoken or typed in pinyin: reading it with every kind loads what each reader uses.
WARM_REPLY = "不知道 两个人 一个月三百块左右 liang ge ren"


def warm() -> None:
    """Load the questionnaire, every answer kind's readers and word lists, the application's
    schema and labels, the report's words and the intents' English glossary now instead of on a
    resident's first answer. A server calls this while it warms up (before `/readyz` says ready),
    so the first questionnaire answers no slower than the rest and what is loaded is counted in
    the warm-up and frozen with the rest of the heap (`bot.heap`). Reading one reply with every
    kind reaches whatever the readers load lazily, however they change."""
    from bot import clock
    from bot.application import guide
    from bot.application.model import labels
    from bot.application.payload import schema_errors
    from bot.dialogs.answers.kinds import KINDS, Ask, display
    from bot.dialogs.answers.slots import other_meaning
    from bot.dialogs.intent_model import translated
    from bot.dialogs.report import report_words
    from bot.dialogs.screening_questions import questionnaire
    from bot.rules.texts import messages

    questionnaire()
    messages()
    display()
    report_words()
    ask = Ask(today=clock.today())
    for each in KINDS.values():
        each.parse(WARM_REPLY, ask)
    other_meaning(WARM_REPLY)  # the free-text slots' check, which an "unknown" reply never reaches
    translated(WARM_REPLY)  # the English words residents mix in, read before the intents
    schema_errors({})
    guide.steps()
    labels()
