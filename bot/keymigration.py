"""`python -m bot migrate-keys [--apply]`: rename keys written before hash tags to today's names.

Keys that a transaction or script uses together now share a hash tag, so they can live on a Redis
Cluster (`bot/storage.py`). A server upgraded in place would no longer see what the older version
wrote under the old names: conversations (`sess:`, 30 minutes) would just start again, but
resumable questionnaires (`resume:`, `scene:`, 7 days), screening results (`screen:`) and
applications with their indexes (30 days), the outbox (undelivered applications!) and the staff
audit log must keep. Run this once after stopping the old version and before starting the new
one, against the same single server or Sentinel primary (RENAME keeps values, TTLs and stream
consumer groups). Turn queues (`turn:`) live a minute and are left to expire. A key whose new
name already exists is left alone and reported. To move to a cluster, migrate first, then import
the server into the cluster (`redis-cli --cluster import`).

Without `--apply` it only counts what it would rename.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections import Counter
from collections.abc import Callable

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import ResponseError

from bot.storage import connect, tag

_RESIDENT = re.compile(rb"(sess|resume|scene|screen):([^{}:]+)")
_APPS = re.compile(rb"app:([^{}:]+)|apps:(user|township):([^{}:]+)")
_OUTBOX = re.compile(rb"outbox:(stream|retry|dead|queued:[^{}]+|done:[^{}]+)")
_FIXED = {b"staff:audit": "{staff:audit}", b"staff:audit:repeats": "{staff:audit}:repeats"}


def new_name(key: bytes) -> tuple[str, str] | None:
    """(kind, new key name) for a key with an old name, None for anything else."""
    if key in _FIXED:
        return "audit", _FIXED[key]
    if match := _RESIDENT.fullmatch(key):
        kind, pseudonym = match.group(1).decode(), match.group(2).decode()
        return kind, f"{kind}:{tag(pseudonym)}"
    if match := _APPS.fullmatch(key):
        if match.group(1):
            return "application", f"{tag('apps')}:app:{match.group(1).decode()}"
        return "application index", f"{tag('apps')}:{match.group(2).decode()}:{match.group(3).decode()}"
    if match := _OUTBOX.fullmatch(key):
        return "outbox", f"{tag('outbox')}:{match.group(1).decode()}"
    return None


async def migrate(redis: aioredis.Redis, apply: bool, say: Callable[[str], None] = print) -> Counter[str]:
    """Rename (or with `apply` False, count) every old key; returns the counts by kind."""
    if isinstance(redis, RedisCluster):
        raise SystemExit("migrate-keys runs on the single server or Sentinel primary the old version "
                         "used; import it into the cluster afterwards")
    done: Counter[str] = Counter()
    for pattern in ("sess:*", "resume:*", "scene:*", "screen:*", "app:*", "apps:*", "outbox:*",
                    "staff:audit*"):
        keys = [key async for key in redis.scan_iter(match=pattern, count=1000)]
        for key in keys:
            found = new_name(key)
            if found is None:
                continue
            kind, target = found
            if apply:
                try:
                    if not await redis.renamenx(key, target):
                        kind = "left alone (the new name exists)"
                except ResponseError:  # it expired since the scan
                    continue
            done[kind] += 1
    for kind, count in sorted(done.items()):
        say(f"{count} {kind}" if kind.startswith("left") else
            f"{'renamed' if apply else 'would rename'} {count} {kind}")
    if not done:
        say("nothing to rename")
    return done


def main(argv: list[str]) -> int:
    from bot.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m bot migrate-keys", description=__doc__.split("\n")[0])
    parser.add_argument("--apply", action="store_true", help="rename (without it: only count)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if not settings.redis_url:
        print("REDIS_URL is not set: the embedded store has no old keys", file=sys.stderr)
        return 2

    async def run() -> None:
        redis = connect(settings.redis_url, max(settings.redis_timeout, 5.0))
        try:
            await migrate(redis, args.apply)
        finally:
            await redis.aclose()

    asyncio.run(run())
    return 0
