"""Rate limits shared by every worker: per resident, per source address, per staff account.

One resident tapping send 200 times, or one script filing fake reports into a township's queue,
must not slow anyone else down. The counters are `limits` moving windows in Redis: each hit is one
atomic script, so two workers cannot both let the 31st message through, and a hit is counted
*before* the guarded work runs (a password check, a report filed), never after. Identifiers are
keyed pseudonyms, never openids, account names or addresses, and every key expires with its
window. The limits themselves are settings (`RATE_LIMIT_*`, in `limits`' "30/minute" notation).

A resident's message limit is counted on every message, so it rides in the script that joins the
resident's turn queue (`bot/turns.py`) instead of costing a round trip of its own: `window` gives
what that script needs, `MOVING_WINDOW` is the same rule as `limits`' moving window (a list of
hit times, the oldest counted one decides), and the key carries the resident's hash tag so a Redis
Cluster keeps it in the turn's slot.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

import redis.asyncio as aioredis
from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.storage import RedisClusterStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio.cluster import RedisCluster

from bot.crypto import Sealer
from bot.metrics import RATE_LIMITED
from bot.settings import Settings
from bot.storage import guarded

Kind = Literal["messages", "reports", "applications", "api", "staff_login_address",
               "staff_login_account"]
KINDS: tuple[Kind, ...] = ("messages", "reports", "applications", "api", "staff_login_address",
                           "staff_login_account")

# Lua, for a script whose key `rate` holds the window and whose ARGV from `first` on are
# `Window.args()`: returns from the script with {-1, oldest hit} when the limit is reached, else
# counts the hit and goes on (`limits`' acquire_moving_window with an amount of 1).
MOVING_WINDOW = """
local now, most, span = tonumber(ARGV[{first}]), tonumber(ARGV[{first} + 1]), tonumber(ARGV[{first} + 2])
local oldest = redis.call('LINDEX', {rate}, most - 1)
if oldest and tonumber(oldest) >= now - span then return {{-1, oldest}} end
redis.call('LPUSH', {rate}, ARGV[{first}])
redis.call('LTRIM', {rate}, 0, most - 1)
redis.call('EXPIRE', {rate}, span)
"""


def client_address(request: Request) -> str:
    """The client's address: the peer, or whom a trusted proxy names (see `TRUSTED_PROXIES`)."""
    return request.client.host if request.client else "-"


def _storage(redis: aioredis.Redis) -> Storage:
    """`limits` on the service's own connections: the same server and tight timeouts as every
    other Redis call. A cluster client has no single pool: `limits` gets the same nodes and limits."""
    if isinstance(redis, RedisCluster):
        nodes = ",".join(redis.nodes_manager.startup_nodes)
        given = redis.connection_kwargs
        options = {name: given[name] for name in ("socket_timeout", "socket_connect_timeout", "password")
                   if given.get(name)}
        return RedisClusterStorage(f"async+redis+cluster://{nodes}", implementation="redispy",
                                   key_prefix="rate", **options)
    return RedisStorage("async+redis://", implementation="redispy", key_prefix="rate",
                        connection_pool=redis.connection_pool)  # type: ignore[arg-type]  # limits' stubs omit it


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until one more is allowed (0 when allowed)

    @property
    def minutes(self) -> int:
        """`retry_after` rounded up to whole minutes, for residents' and staff's texts."""
        return max(1, math.ceil(self.retry_after / 60))


@dataclass(frozen=True)
class Window:
    """One hit of a moving window, counted by another Redis script (see `MOVING_WINDOW`)."""

    kind: Kind
    key: str
    amount: int
    seconds: int

    def args(self) -> list[float | int]:
        return [time.time(), self.amount, self.seconds]

    def refused(self, oldest: bytes) -> Verdict:
        """The verdict for a hit the script refused, given the oldest hit it counted."""
        RATE_LIMITED.labels(self.kind).inc()
        return Verdict(False, max(1, math.ceil(float(oldest) + self.seconds - time.time())))


class RateLimits:
    def __init__(self, redis: aioredis.Redis, sealer: Sealer, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(_storage(redis))
        self._sealer = sealer
        self.items: dict[Kind, RateLimitItem] = {
            kind: parse(getattr(settings, f"rate_limit_{kind}")) for kind in KINDS
        }

    def _id(self, kind: Kind, who: str) -> str:
        return self._sealer.pseudonym(who, f"rate:{kind}")

    def window(self, kind: Kind, hash_tag: str) -> Window:
        """`kind`'s window for the resident whose keys carry `hash_tag`, for a script to count."""
        item = self.items[kind]
        return Window(kind, f"rate:{kind}:{hash_tag}", item.amount, item.get_expiry())

    async def hit(self, kind: Kind, who: str) -> Verdict:
        """Count one event of `kind` for `who` now, unless the limit is reached."""
        item, ident = self.items[kind], self._id(kind, who)
        if await guarded(lambda: self._limiter.hit(item, ident)):
            return Verdict(True)
        RATE_LIMITED.labels(kind).inc()
        return await self._refusal(item, ident)

    async def check(self, kind: Kind, who: str) -> Verdict:
        """Whether one more event would be allowed, without counting it."""
        item, ident = self.items[kind], self._id(kind, who)
        if await guarded(lambda: self._limiter.test(item, ident)):
            return Verdict(True)
        return await self._refusal(item, ident)

    async def clear(self, kind: Kind, who: str) -> None:
        item, ident = self.items[kind], self._id(kind, who)
        await guarded(lambda: self._limiter.clear(item, ident))

    async def _refusal(self, item: RateLimitItem, ident: str) -> Verdict:
        stats = await guarded(lambda: self._limiter.get_window_stats(item, ident))
        return Verdict(False, max(1, math.ceil(stats.reset_time - time.time())))
