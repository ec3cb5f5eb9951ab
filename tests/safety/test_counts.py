"""Danger messages are counted per day and category, with a TTL and nothing about the sender."""

import datetime as dt

from fakeredis import FakeAsyncRedis

from bot.safety.counts import PREFIX, count_danger, daily_counts


async def test_counts_per_day_and_category_without_user_or_text() -> None:
    redis = FakeAsyncRedis()
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
