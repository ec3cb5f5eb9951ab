"""How often danger to life comes up: a count per category and day, without user or text.

Staff need to know whether the safety net fires ten times a year or ten times a day, and for
what, to plan with the township and the hospital; they never need who said it. So the only
thing stored is `safety:danger:<YYYY-MM-DD>` → {category: count} (Beijing days), kept
`TTL_DAYS`. Counting never costs the resident the reply, and a danger message answered while
Redis is down (or before any turn could run: storage down, the worker shedding load) still
counts: it waits in the process (`PENDING`, day and category only, nothing about the sender) and
goes to Redis with the next count or read that reaches it. It counts at least once: only a Redis
that fails between a turn's count and its reply can make the webhook count the message again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from redis.asyncio import Redis

from bot import clock
from bot.errors import StorageUnavailable
from bot.metrics import DANGER
from bot.storage import guarded

log = logging.getLogger(__name__)
PREFIX = "safety:danger:"
TTL_DAYS = 400  # a year and a season: this month against the same month last year


PENDING: Counter[tuple[str, str]] = Counter()  # (date, category) → danger messages not yet in Redis


def count_danger_later(category: str, day: dt.date | None = None) -> None:
    """Count a danger message answered without storage; `flush` takes it to Redis later."""
    DANGER.labels(category).inc()
    PENDING[((day or clock.today()).isoformat(), category)] += 1


async def count_danger(redis: Redis, category: str, day: dt.date | None = None) -> None:
    count_danger_later(category, day)
    await flush(redis)


async def flush(redis: Redis) -> None:
    """Add the counts waiting in this process to Redis; on failure they keep waiting."""
    if not PENDING:
        return
    taken = dict(PENDING)
    PENDING.clear()

    async def bump() -> None:
        async with redis.pipeline(transaction=False) as pipe:
            for (date, category), count in taken.items():
                pipe.hincrby(PREFIX + date, category, count)
            for date in {date for date, _ in taken}:
                pipe.expire(PREFIX + date, TTL_DAYS * 86400)
            await pipe.execute()

    try:
        await guarded(bump)
    except StorageUnavailable as exc:
        PENDING.update(taken)
        log.warning("danger messages kept to count later (%d): %s", sum(PENDING.values()), exc)


async def daily_counts(redis: Redis, days: int = 30,
                       day: dt.date | None = None) -> list[tuple[str, dict[str, int]]]:
    """The last `days` days, newest first: (date, {category: count}); days without any are included."""
    last = day or clock.today()
    await flush(redis)
    dates = [(last - dt.timedelta(days=n)).isoformat() for n in range(days)]

    async def read() -> list[dict[bytes, bytes]]:
        async with redis.pipeline(transaction=False) as pipe:
            for date in dates:
                pipe.hgetall(PREFIX + date)
            return await pipe.execute()

    rows = await guarded(read)
    return [(date, {k.decode(): int(v) for k, v in row.items()})
            for date, row in zip(dates, rows, strict=True)]
