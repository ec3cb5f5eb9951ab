"""Exactly-once conversation turns under WeChat's retries, within its deadline.

WeChat delivers a message up to three times (~5 s apart, sometimes at once to different workers).
The first delivery claims the message id with `SET NX EX` and runs the engine; the others wait
for the reply it stores (sealed) under the same key, so every delivery gets the same answer and
the conversation advances once. When the engine overruns the deadline, the caller answers now
and the turn finishes in the background: its reply is cached for WeChat's next retry and, where
the customer-service API is allowed, sent to the resident directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from bot.dialogs.base import Reply
from bot.engine import Engine, Message
from bot.errors import StorageUnavailable
from bot.services import Services
from bot.storage import guarded

log = logging.getLogger(__name__)
PENDING = b"-"
POLL_SECONDS = 0.05
LateSender = Callable[[str, list[Reply]], Awaitable[None]]


class Outcome(StrEnum):
    DONE = "done"  # replies are ready
    PROCESSING = "processing"  # not ready in time; the resident should send again
    LATE = "late"  # not ready in time; it will be sent through the customer-service API


@dataclass
class Delivered:
    status: Outcome
    replies: list[Reply] = field(default_factory=list)


class Delivery:
    def __init__(self, services: Services, engine: Engine, deadline: float,
                 late_sender: LateSender | None = None) -> None:
        self.services = services
        self.engine = engine
        self.deadline = deadline
        self.late_sender = late_sender
        self._background: set[asyncio.Task[list[Reply]]] = set()

    async def deliver(self, dedup_key: str, message: Message, page_bytes: int | None) -> Delivered:
        loop = asyncio.get_running_loop()
        until = loop.time() + self.deadline
        redis, ttl = self.services.redis, self.services.settings.dedup_ttl
        key = f"wx:dedup:{self.services.sealer.pseudonym(dedup_key, 'dedup')}"
        claimed = await guarded(lambda: redis.set(key, PENDING, nx=True, ex=ttl))
        if not claimed:
            return await self._wait_for_first(key, until)
        task = asyncio.create_task(self._turn(key, message, page_bytes))
        done, _ = await asyncio.wait({task}, timeout=max(0.0, until - loop.time()))
        if task in done:
            return Delivered(Outcome.DONE, task.result())
        self._background.add(task)
        task.add_done_callback(lambda t: self._finish_late(t, message.user))
        return Delivered(Outcome.LATE if self.late_sender else Outcome.PROCESSING)

    async def _turn(self, key: str, message: Message, page_bytes: int | None) -> list[Reply]:
        try:
            replies = await self.engine.handle(message, page_bytes)
        except BaseException:
            await self._release(key)
            raise
        payload = json.dumps([asdict(r) for r in replies], ensure_ascii=False)
        sealed = self.services.sealer.seal(payload, "dedup")
        ttl = self.services.settings.dedup_ttl
        await guarded(lambda: self.services.redis.set(key, sealed, ex=ttl))
        return replies

    async def _release(self, key: str) -> None:
        """Let a retry try again after a failed turn (best effort: Redis may be the failure)."""
        with contextlib.suppress(StorageUnavailable):
            await guarded(lambda: self.services.redis.delete(key))

    async def _wait_for_first(self, key: str, until: float) -> Delivered:
        loop = asyncio.get_running_loop()
        while loop.time() < until:
            raw = await guarded(lambda: self.services.redis.get(key))
            if raw is None:  # the first delivery failed and released the claim
                return Delivered(Outcome.PROCESSING)
            if raw != PENDING:
                items = json.loads(self.services.sealer.open_text(raw, "dedup"))
                return Delivered(Outcome.DONE, [Reply(**item) for item in items])
            await asyncio.sleep(POLL_SECONDS)
        return Delivered(Outcome.LATE if self.late_sender else Outcome.PROCESSING)

    def _finish_late(self, task: asyncio.Task[list[Reply]], user: str) -> None:
        self._background.discard(task)
        if task.cancelled() or task.exception() is not None:
            log.warning("a late conversation turn failed")
            return
        if self.late_sender is not None:
            sending = asyncio.ensure_future(self.late_sender(user, task.result()))
            sending.add_done_callback(_log_send_failure)


def _log_send_failure(future: asyncio.Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("customer-service message failed: %s", type(future.exception()).__name__)
