"""Exactly-once conversation turns under WeChat's retries, within its deadline from arrival.

WeChat delivers a message up to three times (~5 s apart, sometimes at once to different workers).
The first delivery claims the message id with a *lease* (`SET NX PX`, deadline + 1 s, renewed
while the turn runs) and runs the engine; the others wait for the reply it stores (sealed) under
the same key, so every delivery gets the same answer and the conversation advances once. The claim
is taken by the script with which the resident's turn joins its queue (`Receipt.claim_ms`,
`bot/turns.py`), so it costs no round trip of its own; a delivery that finds it held gets what
holds it from that script (`Claimed`) and waits on `_CLAIM`, which returns the same: a retry costs
one round trip, not two. A worker killed mid-turn stops renewing, its lease lapses within seconds,
and the next delivery takes the message over instead of answering "正在处理" until the resident
gives up. The stored reply is kept
until the request's timestamp leaves the freshness window (and at least `DEDUP_TTL`), so a
replayed request is answered from memory, never processed twice. The claim carries the
resident's hash tag, so the script that ends the resident's turn stores the reply too (a
`Receipt`, `bot/turns.py`), with no round trip of its own; and on a Redis Cluster it shares the
slot of the resident's other keys.

The deadline counts from the request's arrival, not from when it got here, and at most
`TURN_SLOTS` turns run at once per process: a request that already waited too long in a flooded
server, or would wait too long for a slot, is answered at once with a short busy text (`SHED`)
instead of running a turn whose answer would come too late. Past `IN_FLIGHT` deliveries in one
process new ones are shed before any Redis call: a saturated event loop reads even Redis's replies
too late, and every turn would end in "系统繁忙". When the engine overruns the deadline, the
caller answers now and the turn finishes in the background: its reply is cached for WeChat's
next retry and, where the customer-service API is allowed, sent to the resident directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from bot.dialogs.base import Reply
from bot.engine import Engine, Message
from bot.errors import Claimed, StorageUnavailable
from bot.metrics import DUPLICATES
from bot.services import Services
from bot.storage import Renewal, guarded
from bot.turns import RECEIPT, Receipt

log = logging.getLogger(__name__)
POLL_SECONDS = 0.05
LEASE_MARGIN = 1.0  # a claim outlives the deadline by this much unless renewed
TURN_SLOTS = 32  # turns running at once in one process; the others wait their turn, briefly
IN_FLIGHT = 2 * TURN_SLOTS  # deliveries in one process beyond which new ones are shed at once
LateSender = Callable[[str, list[Reply]], Awaitable[None]]

# KEYS[1] the message's key; ARGV[1] our lease token, ARGV[2] its lease in ms. nil when claimed,
# else what holds the key (another delivery's lease, or the stored reply).
_CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_FINISH = """
local held = redis.call('GET', KEYS[1])
if not held or held == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Outcome(StrEnum):
    DONE = "done"  # replies are ready
    PROCESSING = "processing"  # not ready in time; the resident should send again
    LATE = "late"  # not ready in time; it will be sent through the customer-service API
    SHED = "shed"  # arrived too long ago to run a turn in time: answer busy now


@dataclass
class Delivered:
    status: Outcome
    replies: list[Reply] = field(default_factory=list)


def _is_lease(raw: bytes) -> bool:
    return b"." not in raw  # sealed replies are "kid.base64", lease tokens never hold a dot


class Delivery:
    def __init__(self, services: Services, engine: Engine, deadline: float,
                 late_sender: LateSender | None = None) -> None:
        self.services = services
        self.engine = engine
        self.deadline = deadline
        self.late_sender = late_sender
        self.lease_ms = int((deadline + LEASE_MARGIN) * 1000)
        self.shed_margin = min(1.0, deadline / 4)  # less time left than this: do not start a turn
        redis = services.redis
        self._claim_script = redis.register_script(_CLAIM)
        self._renew_script = redis.register_script(_RENEW)
        self._finish_script = redis.register_script(_FINISH)
        self._release_script = redis.register_script(_RELEASE)
        self._background: set[asyncio.Task[list[Reply]]] = set()
        self._slots = asyncio.Semaphore(TURN_SLOTS)
        self._in_flight = 0

    async def deliver(self, dedup_key: str, message: Message, page_bytes: int | None,
                      until: float | None = None, remember: int = 0) -> Delivered:
        """Run or join the turn for one delivery. `until` is the event-loop time by which to answer
        (arrival + deadline); `remember` how long the reply must outlive replays, in seconds."""
        if self._in_flight >= IN_FLIGHT:  # saturated: even Redis replies would be read too late
            return Delivered(Outcome.SHED)
        self._in_flight += 1
        try:
            return await self._deliver(dedup_key, message, page_bytes, until, remember)
        finally:
            self._in_flight -= 1

    async def _deliver(self, dedup_key: str, message: Message, page_bytes: int | None,
                       until: float | None, remember: int) -> Delivered:
        loop = asyncio.get_running_loop()
        until = loop.time() + self.deadline if until is None else until
        key = self.key(message.user, dedup_key)
        token = ("-" + secrets.token_hex(8)).encode()
        ttl = max(remember, self.services.settings.replay_ttl)
        claimed = False  # the first turn takes the claim as it joins its queue (`Receipt.claim_ms`)
        while True:
            if not await self._slot(until - loop.time() - self.shed_margin):
                if claimed:
                    await self._release(key, token)
                return Delivered(Outcome.SHED)
            task = asyncio.create_task(self._turn(key, token, message, page_bytes, ttl, claimed))
            done, _ = await asyncio.wait({task}, timeout=max(0.0, until - loop.time()))
            if task not in done:
                self._background.add(task)
                task.add_done_callback(lambda t: self._finish_late(t, message.user))
                return Delivered(Outcome.LATE if self.late_sender else Outcome.PROCESSING)
            held = task.exception()
            if not isinstance(held, Claimed):
                return Delivered(Outcome.DONE, task.result())
            answered = await self._after(key, token, held.held, until)
            if answered is not None:
                return answered
            claimed = True  # the other delivery let go and this one holds the claim now

    async def _after(self, key: str, token: bytes, raw: bytes | None, until: float) -> Delivered | None:
        """Another delivery held the message's claim (`raw`, what held it): its stored reply, or
        "processing" once the deadline passes while it still runs; None once this delivery has
        claimed the message itself (the other one released it, or its worker died)."""
        loop = asyncio.get_running_loop()
        claim: list[bytes | int] = [token, self.lease_ms]
        while raw is not None:
            if not _is_lease(raw):
                DUPLICATES.inc()
                items = json.loads(self.services.sealer.open_text(raw, "dedup"))
                return Delivered(Outcome.DONE, [Reply(**item) for item in items])
            if loop.time() >= until:  # still running on another worker
                DUPLICATES.inc()
                return Delivered(Outcome.LATE if self.late_sender else Outcome.PROCESSING)
            await asyncio.sleep(POLL_SECONDS)
            raw = cast(bytes | None, await guarded(lambda: self._claim_script(keys=[key], args=claim)))
        return None

    def key(self, user: str, dedup_key: str) -> str:
        """The Redis key of one delivery's claim and stored reply, in the resident's slot."""
        pseudonym = self.services.sealer.pseudonym(dedup_key, "dedup")
        return f"wx:dedup:{self.services.turns.hash_tag(user)}:{pseudonym}"

    async def _slot(self, within: float) -> bool:
        """One of the process's turn slots, if one frees up `within` seconds.

        Under a flood, hundreds of turns interleaving on one event loop would each finish late;
        a bounded number run at full speed while the rest wait, and those that would wait past
        their deadline are answered busy instead."""
        if within <= 0:
            return False
        if not self._slots.locked():  # free and nobody waiting: taken at once, in arrival order
            await self._slots.acquire()
            return True
        try:
            async with asyncio.timeout(within):
                await self._slots.acquire()
        except TimeoutError:
            return False
        return True

    async def _turn(self, key: str, token: bytes, message: Message, page_bytes: int | None,
                    ttl: int, claimed: bool) -> list[Reply]:
        renew: list[bytes | int] = [token, self.lease_ms]
        renewing = Renewal(self.lease_ms / 3000, lambda: self._renew_script(keys=[key], args=renew))
        receipt = Receipt(key, token, ttl, self._sealed, 0 if claimed else self.lease_ms)
        RECEIPT.set(receipt)  # this task's own context: the engine's turn claims and stores the reply
        try:
            replies = await self.engine.handle(message, page_bytes)
        except Claimed:
            raise  # not ours to release
        except BaseException:
            await self._release(key, token)
            raise
        finally:
            renewing.cancel()
            self._slots.release()
        if not receipt.kept:  # no turn ran (the numbers when busy) or Redis failed as it ended
            sealed = receipt.value or self._sealed(replies)
            with contextlib.suppress(StorageUnavailable):  # the replies stand; a retry runs again
                await guarded(lambda: self._finish_script(keys=[key], args=[token, sealed, ttl]))
        return replies

    def _sealed(self, replies: object) -> str:
        items = [vars(reply) for reply in cast(list[Reply], replies)]  # no deep copy: all strings
        return self.services.sealer.seal(json.dumps(items, ensure_ascii=False), "dedup")

    async def _release(self, key: str, token: bytes) -> None:
        """Let a retry try again after a failed turn (best effort: Redis may be the failure)."""
        with contextlib.suppress(StorageUnavailable):
            await guarded(lambda: self._release_script(keys=[key], args=[token]))

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
