"""One-message flows: help, contact details, the human hand-off and the policy-question entry.

Each answers at once and finishes; they are flows (not commands) so the main menu, the custom
menu's CLICK keys and free-text triggers all reach them the same way.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from bot.dialogs.base import Context, Flow, Reply, Turn


class _OneShot(Flow):
    template: ClassVar[str]

    async def start(self, ctx: Context) -> Turn:
        return Turn(await self.prompt(ctx), next_step=None)

    async def prompt(self, ctx: Context) -> list[Reply]:
        return [ctx.say(self.template)]


class HelpFlow(_OneShot):
    name = "help"
    template = "chat/help.txt"

    async def prompt(self, ctx: Context) -> list[Reply]:
        return [ctx.say(self.template, in_flow=False)]


class ContactFlow(_OneShot):
    name = "contact"
    template = "chat/contact.txt"


class AskFlow(_OneShot):
    """`政策问答` from the menu: invites a question; the question itself is answered by the engine."""

    name = "qa"
    template = "chat/qa_intro.txt"

    def is_available(self, services: object) -> bool:
        return getattr(services, "knowledge", None) is not None


class HumanFlow(Flow):
    """`人工`: the customer-service desk when the account has it, else the hotline and offices."""

    name = "human"

    async def start(self, ctx: Context) -> Turn:
        return Turn(await self.prompt(ctx), next_step=None)

    async def prompt(self, ctx: Context) -> list[Reply]:
        if ctx.channel == "wechat" and ctx.services.settings.wechat_transfer_enabled:
            return [replace(ctx.say("chat/human_transfer.txt"), handoff=True)]
        return [ctx.say("chat/human_contact.txt")]
