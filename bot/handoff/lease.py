"""One outbox worker per deployment: a lease in Redis that the web workers take turns to hold.

Every web worker (and `python -m bot worker`) starts an outbox worker, but only the holder of
`{outbox}:lease` reads the stream; the others check back every `retry` seconds. The holder renews
the lease between entries and rounds (compare-and-expire, so a worker that lost it never renews
someone else's); a holder that crashed stops renewing and another takes over within `ttl`. Were
two ever to overlap (a pause longer than the lease), the consumer group and the receiver's
`Idempotency-Key` still deliver each application once: the lease saves work, not correctness.
"""

from __future__ import annotations

import secrets

import redis.asyncio as aioredis

from bot.storage import guarded

KEY = "{outbox}:lease"  # the outbox's hash tag, as its other keys (bot.handoff.outbox)
TTL = 30.0  # seconds; longer than one delivery attempt (WorkerConfig.request_timeout)

# KEYS[1] lease; ARGV: token, ttl ms. 1 when we hold it afterwards (taken or renewed), else 0.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not holder then return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) and 1 or 0 end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Lease:
    def __init__(self, redis: aioredis.Redis, ttl: float = TTL, key: str = KEY) -> None:
        self.key = key
        self.ttl_ms = int(ttl * 1000)
        self.retry = ttl / 3
        self.token = secrets.token_hex(8)
        self._hold = redis.register_script(_HOLD)
        self._release = redis.register_script(_RELEASE)

    async def hold(self) -> bool:
        """Take the lease if it is free, renew it if it is ours; False while another holds it."""
        return bool(await guarded(lambda: self._hold(keys=[self.key], args=[self.token, self.ttl_ms])))

    async def release(self) -> None:
        await guarded(lambda: self._release(keys=[self.key], args=[self.token]))
