"""One conversation turn at a time per resident, across every worker, in arrival order.

A resident who taps send twice, or whose voice and text messages arrive together, would otherwise
have two turns load the same session, each add its answer and save: one answer lost. `TurnQueue`
is a small fair lock in Redis. Each turn joins the resident's queue (a list) on arrival and runs
when it reaches the head; every member keeps a short liveness lease that it renews while it waits
or runs, so the turn of a worker that crashed is skipped within `LEASE` seconds instead of
blocking the resident. Waiting is bounded (`WAIT`): past it the caller answers "系统繁忙". The
webhook never waits past its own deadline either: `Delivery` answers at the deadline and lets the
turn finish in the background. Keys carry keyed pseudonyms and expire on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator

import redis.asyncio as aioredis

from bot.crypto import Sealer
from bot.errors import Busy
from bot.storage import guarded, tag

LEASE = 3.0  # seconds a member of the queue stays alive without renewing
WAIT = 10.0  # seconds a turn waits for the ones before it, at most
POLL = 0.015  # seconds between looks at the head of the queue
QUEUE_TTL_MS = 60_000  # an idle queue disappears after this

# KEYS[1] queue; ARGV: token, lease ms, queue ttl ms, liveness key prefix. Joins the queue on the
# first call; 1 when `token` is at the head (skipping heads whose lease lapsed), else 0.
_TURN = """
redis.call('SET', ARGV[4] .. ARGV[1], '1', 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if not redis.call('LPOS', KEYS[1], ARGV[1]) then
  redis.call('RPUSH', KEYS[1], ARGV[1])
end
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if head == ARGV[1] then return 1 end
  if redis.call('EXISTS', ARGV[4] .. head) == 1 then return 0 end
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
_LEAVE = """
redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('DEL', ARGV[4] .. ARGV[1])
return 1
"""


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
    async def turn(self, user: str) -> AsyncIterator[None]:
        """Hold `user`'s turn for the body of the `async with`; raises Busy after `wait` seconds."""
        name = tag(self.sealer.pseudonym(user))  # the script's liveness keys share its slot
        keys = [f"turn:{name}"]
        args = [secrets.token_hex(8), int(self.lease * 1000), QUEUE_TTL_MS, f"turn:{name}:alive:"]
        try:
            await self._until_first(keys, args)
            renewing = asyncio.create_task(self._renew(keys, args))
            try:
                yield
            finally:
                renewing.cancel()
        finally:
            with contextlib.suppress(Exception):  # Redis may be the failure; the lease lapses then
                await guarded(lambda: self._leave(keys=keys, args=args))

    async def _until_first(self, keys: list[str], args: list[str | int]) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.wait
        while not await guarded(lambda: self._turn(keys=keys, args=args)):
            if loop.time() >= give_up:
                raise Busy("the resident's previous turn is still running")
            await asyncio.sleep(POLL)

    async def _renew(self, keys: list[str], args: list[str | int]) -> None:
        """Keep a long turn's lease alive (most turns end before the first renewal)."""
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(self.lease / 3)
                await guarded(lambda: self._renew_script(keys=keys, args=args))
