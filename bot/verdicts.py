"""The engine's side of the safety net: one verdict per message, the danger reply, its count.

Every layer that hears a message asks about danger first (the webhook before the turn queue,
`handle`, the turn), and residents send the same short texts again and again (菜单, 1, 是的, the
common questions): verdicts are remembered by a digest of the text (memory only, no text kept);
a reloaded cue file or a newly trained model starts afresh. The reply needs no storage, so a
message that signals danger gets the numbers even when Redis is down.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dialogs.base import Reply
from bot.memo import Memo, digest
from bot.safety import Danger, SafetyNet
from bot.safety.counts import count_danger, count_danger_later
from bot.services import Services

VERDICTS_KEPT = 4096


class DangerDesk:
    """The engine's danger methods (`bot.engine.Engine` is one): its services, net and memory."""

    services: Services
    safety: SafetyNet
    _verdicts: Memo[tuple[object, Danger | None]]
    say: Callable[..., Reply]

    def danger_replies(self, danger: Danger, in_report: bool = False, resumable: bool = False) -> list[Reply]:
        """The emergency numbers, one caring sentence and what the product can do next (no storage)."""
        return [self.say("chat/safety/danger.txt", numbers=danger.numbers, care=danger.care,
                          in_report=in_report, resumable=resumable)]

    def safety_reply(self, text: str) -> list[Reply] | None:
        """For a channel that cannot reach the engine's storage: the danger reply, or None."""
        danger = self.detect(text) if text else None
        return self.danger_replies(danger) if danger is not None else None

    async def count_danger(self, text: str) -> None:
        """Count a danger message answered with the numbers alone (no turn ran to count it)."""
        danger = self.detect(text)
        if danger is not None:
            await count_danger(self.services.redis, danger.category)

    def count_danger_later(self, text: str) -> None:
        """The same when storage is down: the count waits in the process (`bot/safety/counts.py`)."""
        danger = self.detect(text)
        if danger is not None:
            count_danger_later(danger.category)

    def detect(self, text: str) -> Danger | None:
        """The safety net's verdict on `text`. The webhook, `handle` and the turn each ask about the
        same message; the cue matching runs once, and again only after the cue file is reloaded."""
        self.safety.reload_if_changed()
        detector = self.safety.detector
        key = digest(text)
        kept = self._verdicts.get(key)
        if kept is not None and kept[0] is detector:
            return kept[1]
        danger = self.safety.detect(text)
        self._verdicts.put(key, (detector, danger))
        return danger
