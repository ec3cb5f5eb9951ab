"""Conversation flows, one module each; `default_flows` is the registry the engine uses.

Each later capability adds its flow here (and an entry in `menu.yaml` to offer it in the menu).
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
