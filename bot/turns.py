"""One conversation turn at a time per resident, across every worker, in arrival order.

A resident who taps send twice, or whose voice and text messages arrive together, would otherwise
have two turns load the same session, each add its answer and save: one answer lost. `TurnQueue`
is a small fair lock in Redis. Each turn joins the resident's queue (a list) on arrival and runs
when it reaches the head; every member keeps a short liveness lease that it renews while it waits
or runs, so the turn of a worker that crashed is skipped within `LEASE` seconds instead of
blocking the resident. Waiting is bounded (`WAIT`): past it the caller answers "系统繁忙". The
webhook never waits past its own deadline either: `Delivery` answers at the deadline and lets the
turn finish in the background. Keys carry keyed pseudonyms and expire on their own.

A turn may name one more key of the same resident (the session): the script that finds the turn
at the head reads it, and the script that leaves writes what the turn saved, so a turn costs two
Redis round trips where a separate read and write would add two more to every message. The
leaving script can also keep a `Receipt` — the reply `Delivery` stores for WeChat's retries under
the message's claim — which saves the round trip that would follow the turn on every message; and
the entering script can take that claim as the turn joins (`Receipt.claim_ms`), which saves the
one that would come before it.
The delivery sets it in `RECEIPT` for its own task (a context variable, like the request id of
the logs), so `Engine.handle` keeps one signature for every channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import redis.asyncio as aioredis

from bot.crypto import Sealer
from bot.errors import Busy, Claimed, Limited, StorageUnavailable
from bot.ratelimit import MOVING_WINDOW, Window
from bot.storage import Renewal, guarded, tag

LEASE = 3.0  # seconds a member of the queue stays alive without renewing
WAIT = 10.0  # seconds a turn waits for the ones before it, at most
POLL = 0.015  # seconds between looks at the head of the queue
QUEUE_TTL_MS = 60_000  # an idle queue disappears after this

# KEYS[1] queue, then the optional keys that ARGV[5] names by letter: r (KEYS[2], read at the head),
# c (a message's de-dup claim to take as the turn joins) and w (a message limit's window). ARGV:
# token, lease ms, queue ttl ms, liveness key prefix, the letters, then (joining only) the claim's
# token and lease ms and the limit's `Window.args()`. Joins the queue on the first call, unless the
# claim is held ({-2, what holds it}) or the limit refuses ({-1, oldest hit}); {1, value of the key
# read or nil} when `token` is at the head (skipping heads whose lease lapsed), else {0}.
_TURN = """
local flags, n, read = ARGV[5], 1, false
if string.find(flags, 'r', 1, true) then n = 2; read = KEYS[2] end
if not redis.call('LPOS', KEYS[1], ARGV[1]) then
  local a = 6
  if string.find(flags, 'c', 1, true) then
    n = n + 1
    if not redis.call('SET', KEYS[n], ARGV[a], 'NX', 'PX', ARGV[a + 1]) then
      return {-2, redis.call('GET', KEYS[n])}
    end
    a = a + 2
  end
  if string.find(flags, 'w', 1, true) then
    n = n + 1""" + MOVING_WINDOW.format(first="a", rate="KEYS[n]") + """  end
  redis.call('RPUSH', KEYS[1], ARGV[1])
end
redis.call('SET', ARGV[4] .. ARGV[1], '1', 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if head == ARGV[1] then return {1, read and redis.call('GET', read)} end
  if redis.call('EXISTS', ARGV[4] .. head) == 1 then return {0} end
  redis.call('LPOP', KEYS[1])
end
"""
# Renews `token` only while it is still queued: a renewal racing the turn's end never re-joins.
_RENEW = """
if redis.call('LPOS', KEYS[1], ARGV[1]) then
  return redis.call('SET', ARGV[4] .. ARGV[1], '1', 'PX', ARGV[2])
end
return 0
"""
# ARGV[5], ARGV[6]: the value to write to KEYS[2] as the turn ends and its TTL in seconds ('' and 0:
# none). ARGV[7..9] (optional): a receipt for KEYS[#KEYS] — set it to ARGV[8] for ARGV[9] seconds
# unless a claim other than ours (ARGV[7]) holds it (the same rule as `Delivery`'s own finish).
_LEAVE = """
if ARGV[5] and ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'EX', ARGV[6]) end
if ARGV[7] then
  local held = redis.call('GET', KEYS[#KEYS])
  if not held or held == ARGV[7] then redis.call('SET', KEYS[#KEYS], ARGV[8], 'EX', ARGV[9]) end
end
redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('DEL', ARGV[4] .. ARGV[1])
return 1
"""


@dataclass
class Held:
    """A running turn: the value its key had as the turn began, and what to write as it ends."""

    value: bytes | None = None
    written: tuple[bytes, int] | None = None

    def write(self, value: bytes, ttl: int) -> None:
        """Store `value` (for `ttl` seconds) as the turn leaves the queue, if the turn succeeds."""
        self.written = (value, ttl)


@dataclass
class Receipt:
    """A key of the same resident claimed with `token` (a message's de-dup claim) that the turn's
    leaving script sets to `seal(value)` for `ttl` seconds, if no other claim took it meanwhile.
    `kept` tells the caller whether that happened; if not, it stores the value itself. With
    `claim_ms` the turn's entry script takes the claim (a lease of that many ms) as it joins, or
    raises `Claimed` if another delivery holds it: one round trip fewer than claiming first."""

    key: str
    token: bytes
    ttl: int
    seal: Callable[[object], str]
    claim_ms: int = 0
    value: str | None = None
    kept: bool = field(default=False, init=False)

    def fill(self, value: object) -> None:
        """What the turn produced: sealed now, written as the turn leaves."""
        self.value = self.seal(value)


RECEIPT: contextvars.ContextVar[Receipt | None] = contextvars.ContextVar("receipt", default=None)


class TurnQueue:
    def __init__(self, redis: aioredis.Redis, sealer: Sealer, lease: float = LEASE,
                 wait: float = WAIT) -> None:
        self.redis = redis
        self.sealer = sealer
        self.lease = lease
        self.wait = wait
        self._turn = redis.register_script(_TURN)
        self._renew_script = redis.register_script(_RENEW)
        self._leave = redis.register_script(_LEAVE)

    @contextlib.asynccontextmanager
    async def turn(self, user: str, key: str | None = None, receipt: Receipt | None = None,
                   window: Window | None = None) -> AsyncIterator[Held]:
        """Hold `user`'s turn for the body of the `async with`; raises Busy after `wait` seconds.
        With `key` (one of the resident's, same hash tag) the turn reads it on entry and writes
        what the body passed to `Held.write` on a clean exit, in the same round trips; so is a
        filled `receipt` (its key carries the same hash tag, see `hash_tag`); a receipt with
        `claim_ms` is claimed as the turn joins (`Claimed` if it is held). With `window` (a
        rate limit of the same resident, `RateLimits.window`) joining counts one hit, and a
        refused hit raises `Limited` before the turn joins the queue."""
        name = self.hash_tag(user)  # the script's liveness keys share its slot
        keys = [f"turn:{name}", *([key] if key else [])]
        args: list[str | int | bytes] = [secrets.token_hex(8), int(self.lease * 1000), QUEUE_TTL_MS,
                                         f"turn:{name}:alive:"]
        try:
            held = await self._until_first(keys, args, window, receipt)
            renewing = Renewal(self.lease / 3, lambda: self._renew_script(keys=keys, args=args))
            try:
                yield held
            finally:
                renewing.cancel()
        except (Limited, Claimed):  # refused before joining: nothing to leave
            raise
        except BaseException:
            with contextlib.suppress(Exception):  # Redis may be the failure; the lease lapses then
                await guarded(lambda: self._leave(keys=keys, args=args))
            raise
        written: list[str | int | bytes] = [*held.written] if held.written and key else ["", 0]
        keeping = receipt is not None and receipt.value is not None
        if receipt is not None and receipt.value is not None:
            keys, written = [*keys, receipt.key], [*written, receipt.token, receipt.value, receipt.ttl]
        try:
            await guarded(lambda: self._leave(keys=keys, args=[*args, *written]))
        except StorageUnavailable:
            if held.written and key:  # what the turn saved is lost: the turn failed
                raise
            return  # not kept: the caller stores its receipt itself (and meets the failure there)
        if receipt is not None:
            receipt.kept = keeping

    def hash_tag(self, user: str) -> str:
        """The hash tag of every key of `user`'s turns: another key that a `Receipt` names must
        carry it too, so a Redis Cluster keeps them in one slot."""
        return tag(self.sealer.pseudonym(user))

    async def _until_first(self, keys: list[str], args: list[str | int | bytes],
                           window: Window | None, receipt: Receipt | None) -> Held:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.wait
        claim = receipt if receipt is not None and receipt.claim_ms else None
        flags = "r" if len(keys) > 1 else ""
        polling = [*args, flags]
        joining_keys = [*keys, *([claim.key] if claim else []), *([window.key] if window else [])]
        claiming: list[str | int | bytes | float] = [claim.token, claim.claim_ms] if claim else []
        joining = [*args, flags + ("c" if claim else "") + ("w" if window else ""), *claiming,
                   *(window.args() if window else [])]
        reply = await guarded(lambda: self._turn(keys=joining_keys, args=joining))
        if reply[0] == -2:
            raise Claimed(reply[1])
        if reply[0] == -1 and window is not None:
            raise Limited(window.refused(reply[1]).retry_after)
        while True:
            if reply[0]:
                return Held(reply[1] if len(reply) > 1 else None)
            if loop.time() >= give_up:
                raise Busy("the resident's previous turn is still running")
            await asyncio.sleep(POLL)
            reply = await guarded(lambda: self._turn(keys=keys, args=polling))
