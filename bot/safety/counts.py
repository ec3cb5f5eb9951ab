"""How often danger to life comes up: a count per category and day, without user or text.

Staff need to know whether the safety net fires ten times a year or ten times a day, and for
what, to plan with the township and the hospital; they never need who said it. So the only
thing stored is `safety:danger:<YYYY-MM-DD>` → {category: count} (Beijing days), kept
`TTL_DAYS`. Counting never costs the resident the reply: a Redis failure is logged and dropped.
"""

from __future__ import annotations

import datetime as dt
import logging

from redis.asyncio import Redis

from bot import clock
from bot.errors import StorageUnavailable
from bot.metrics import DANGER
from bot.storage import guarded

log = logging.getLogger(__name__)
PREFIX = "safety:danger:"
TTL_DAYS = 400  # a year and a season: this month against the same month last year


async def count_danger(redis: Redis, category: str, day: dt.date | None = None) -> None:
    DANGER.labels(category).inc()
    key = PREFIX + (day or clock.today()).isoformat()

    async def bump() -> None:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.hincrby(key, category, 1)
            pipe.expire(key, TTL_DAYS * 86400)
            await pipe.execute()

    try:
        await guarded(bump)
    except StorageUnavailable as exc:
        log.warning("could not count a danger message: %s", exc)


async def daily_counts(redis: Redis, days: int = 30,
                       day: dt.date | None = None) -> list[tuple[str, dict[str, int]]]:
    """The last `days` days, newest first: (date, {category: count}); days without any are included."""
    last = day or clock.today()
    dates = [(last - dt.timedelta(days=n)).isoformat() for n in range(days)]

    async def read() -> list[dict[bytes, bytes]]:
        async with redis.pipeline(transaction=False) as pipe:
            for date in dates:
                pipe.hgetall(PREFIX + date)
            return await pipe.execute()

    rows = await guarded(read)
    return [(date, {k.decode(): int(v) for k, v in row.items()})
            for date, row in zip(dates, rows, strict=True)]
