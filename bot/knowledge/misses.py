"""Questions the bot could not answer confidently, counted in Redis so staff know what to add.

Residents sometimes type their ID or phone number into a question; those are masked before
anything is stored, and the masked text is sealed (AES-GCM) like every other resident text in
Redis: counts are kept per keyed pseudonym of the text, never per user. Keys carry a TTL so the
log cannot grow into a long-term record of residents' questions, and the set is capped so that a
flood of junk cannot fill Redis.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from bot.application.identity import mask_runs
from bot.crypto import Sealer
from bot.errors import StorageUnavailable
from bot.storage import guarded

log = logging.getLogger(__name__)

PREFIX = "kb:miss:"
COUNTS = PREFIX + "counts"  # sorted set: pseudonym of the masked question -> times asked
STATUS = PREFIX + "status"  # hash: pseudonym -> last status (clarify / fallback)
LAST_SEEN = PREFIX + "last"  # hash: pseudonym -> unix time last asked
TEXT = PREFIX + "text"  # hash: pseudonym -> the masked question, sealed
TTL_SECONDS = 180 * 24 * 3600
MAX_KEPT = 5000
MAX_LENGTH = 200

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")


@dataclass(frozen=True, slots=True)
class Miss:
    question: str
    count: int
    status: str
    last_seen: float


def mask(question: str) -> str:
    """Mask ID numbers, phone numbers and other long digit runs, typed or spoken (`mask_runs`,
    the reading of numbers the flows use); normalise width and spacing."""
    text = " ".join(unicodedata.normalize("NFKC", question).split())
    text = _ID_NUMBER.sub("<ID>", text)
    text = _PHONE.sub("<PHONE>", text)
    text = mask_runs(text, "<NUMBER>")  # bank cards, landlines, spaced or spoken numbers
    return text[:MAX_LENGTH]


async def record_miss(redis: Redis, sealer: Sealer, question: str, status: str) -> bool:
    """Count the masked question; True when it was stored (False: empty, or Redis failed)."""
    masked = mask(question)
    if not masked:
        return False
    member = sealer.pseudonym(masked, "miss")

    async def count() -> int:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.zincrby(COUNTS, 1, member)
            pipe.hset(STATUS, member, status)
            pipe.hset(LAST_SEEN, member, str(int(time.time())))
            pipe.hset(TEXT, member, sealer.seal(masked, "miss"))
            for key in (COUNTS, STATUS, LAST_SEEN, TEXT):
                pipe.expire(key, TTL_SECONDS)
            pipe.zcard(COUNTS)
            *_, size = await pipe.execute()
        return int(size)

    try:
        size = await guarded(count)
        if size > MAX_KEPT:
            await guarded(lambda: _trim(redis, size - MAX_KEPT))
    except StorageUnavailable as exc:  # a lost miss must never cost the resident the answer
        log.warning("could not record a knowledge miss: %s", exc)
        return False
    return True


async def _trim(redis: Redis, surplus: int) -> None:
    rarest = await redis.zrange(COUNTS, 0, surplus - 1)
    if rarest:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.zrem(COUNTS, *rarest)
            pipe.hdel(STATUS, *rarest)
            pipe.hdel(LAST_SEEN, *rarest)
            pipe.hdel(TEXT, *rarest)
            await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


async def list_misses(redis: Redis, sealer: Sealer, limit: int = 50) -> list[Miss]:
    """Most frequent misses first."""
    ranked = cast(list[tuple[bytes, float]], await guarded(
        lambda: redis.zrevrange(COUNTS, 0, limit - 1, withscores=True)))
    if not ranked:
        return []
    members = [m for m, _ in ranked]

    async def fields() -> list[list[bytes | None]]:
        async with redis.pipeline(transaction=False) as pipe:
            for key in (STATUS, LAST_SEEN, TEXT):
                pipe.hmget(key, members)
            return await pipe.execute()

    statuses, seen, texts = await guarded(fields)
    return [
        Miss(sealer.open_text(text, "miss"), int(count), _text(s) if s else "", float(t) if t else 0.0)
        for (_, count), s, t, text in zip(ranked, statuses, seen, texts, strict=True)
        if text is not None
    ]
