"""Conversation flows, one module each; `default_flows` is the registry the engine uses.

Each later capability adds its flow here (and an entry in `menu.yaml` to offer it in the menu).
"""

from __future__ import annotations

from bot.dialogs.base import Flow


def default_flows() -> dict[str, Flow]:
    from bot.dialogs.info import AskFlow, ContactFlow, HelpFlow, HumanFlow

    flows: list[Flow] = [HelpFlow(), ContactFlow(), HumanFlow(), AskFlow()]
    return {flow.name: flow for flow in flows}
