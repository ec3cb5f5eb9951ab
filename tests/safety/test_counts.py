"""Danger messages are counted per day and category, with a TTL and nothing about the sender."""

import datetime as dt

import pytest
import redis.asyncio as aioredis

from bot.safety.counts import PENDING, PREFIX, count_danger, daily_counts
from bot.storage import connect


@pytest.fixture(autouse=True)
def nothing_pending():
    PENDING.clear()
    yield
    PENDING.clear()


async def test_counts_per_day_and_category_without_user_or_text(redis_client: aioredis.Redis) -> None:
    redis = redis_client
    day = dt.date(2026, 7, 1)
    await count_danger(redis, "fire", day)
    await count_danger(redis, "fire", day)
    await count_danger(redis, "medical", day)
    keys = [k async for k in redis.scan_iter()]
    assert keys == [f"{PREFIX}2026-07-01".encode()]
    assert 0 < await redis.ttl(keys[0]) <= 400 * 86400
    rows = await daily_counts(redis, 2, day)
    assert rows == [("2026-07-01", {"fire": 2, "medical": 1}), ("2026-06-30", {})]


def test_the_counts_command_needs_the_servers_redis(monkeypatch, capsys) -> None:
    from bot.safety.__main__ import main
    from bot.settings import get_settings

    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["counts"]) == 2
    finally:
        get_settings.cache_clear()
    assert "REDIS_URL" in capsys.readouterr().err


async def test_a_danger_message_counted_while_redis_is_down_reaches_redis_later(
        redis_client: aioredis.Redis) -> None:
    day = dt.date(2026, 7, 1)
    down = connect("redis://127.0.0.1:1/0", 0.2)
    await count_danger(down, "fire", day)  # no exception: the reply never waits for the count
    await count_danger(down, "fire", day)
    assert PENDING == {("2026-07-01", "fire"): 2}  # a day and a category, nothing else
    await count_danger(redis_client, "medical", day)
    assert not PENDING
    assert await daily_counts(redis_client, 1, day) == [("2026-07-01", {"fire": 2, "medical": 1})]


async def test_reading_the_counts_takes_the_waiting_ones_along(redis_client: aioredis.Redis) -> None:
    day = dt.date(2026, 7, 1)
    await count_danger(connect("redis://127.0.0.1:1/0", 0.2), "violence", day)
    assert await daily_counts(redis_client, 1, day) == [("2026-07-01", {"violence": 1})]
    assert 0 < await redis_client.ttl(PREFIX + "2026-07-01") <= 400 * 86400
