"""Misses are masked before storage, counted, expire, and list most frequent first (real Redis)."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot.crypto import Sealer
from bot.errors import StorageUnavailable
from bot.knowledge import misses
from bot.knowledge.misses import list_misses, mask, record_miss
from bot.settings import Settings

SEALER = Sealer.from_settings(Settings(_env_file=None).data_keys, "dev1", "test-secret")
ALL_KEYS = (misses.COUNTS, misses.STATUS, misses.LAST_SEEN, misses.TEXT)



def test_mask_ids_phones_and_long_numbers() -> None:
    assert mask("我身份证530428199001011234，电话13812345678") == "我身份证<ID>,电话<PHONE>"
    assert mask("身份证53042819900101123X") == "身份证<ID>"
    assert mask("打 138-1234-5678 或 ０８７７１２３４５６７") == "打 <PHONE> 或 <NUMBER>"
    assert mask("  低保   怎么申请 ") == "低保 怎么申请"
    assert mask("12349热线") == "12349热线"
    assert mask("幺三八 幺二三四 五六七八 是我的") == "<NUMBER> 是我的"  # as voice input writes it
    assert mask("卡号 6217 0000 1234 5678 低保") == "卡号 <NUMBER> 低保"
    assert mask("2024年低保") == "2024年低保"


@pytest.fixture
def redis(redis_client: aioredis.Redis) -> aioredis.Redis:
    return redis_client


async def test_record_and_list(redis: aioredis.Redis) -> None:
    for _ in range(3):
        await record_miss(redis, SEALER, "低保卡丢了咋个办 13812345678", "fallback")
    await record_miss(redis, SEALER, "特困能不能领两份", "clarify")
    found = await list_misses(redis, SEALER)
    assert [(m.question, m.count, m.status) for m in found] == [
        ("低保卡丢了咋个办 <PHONE>", 3, "fallback"),
        ("特困能不能领两份", 1, "clarify"),
    ]
    assert found[0].last_seen > 0
    stored = [*await redis.zrange(misses.COUNTS, 0, -1), *(await redis.hgetall(misses.TEXT)).values()]
    assert all(b"1381234" not in q and "低保".encode() not in q for q in stored)
    for key in ALL_KEYS:
        assert key.startswith("kb:miss:")
        assert 0 < await redis.ttl(key) <= misses.TTL_SECONDS


async def test_capped(redis: aioredis.Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(misses, "MAX_KEPT", 3)
    await record_miss(redis, SEALER, "常见问题", "fallback")
    await record_miss(redis, SEALER, "常见问题", "fallback")
    for n in range(4):
        await record_miss(redis, SEALER, f"问题{n}", "fallback")
    found = await list_misses(redis, SEALER)
    assert len(found) == 3 and found[0].question == "常见问题"
    assert await redis.hlen(misses.STATUS) == 3


async def test_redis_failure_is_swallowed(caplog: pytest.LogCaptureFixture) -> None:
    broken = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    assert await record_miss(broken, SEALER, "我的电话13812345678", "fallback") is False
    assert "could not record" in caplog.text and "13812345678" not in caplog.text
    await broken.aclose()


async def test_listing_through_the_guarded_client() -> None:
    broken = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    with pytest.raises(StorageUnavailable):
        await list_misses(broken, SEALER)
    await broken.aclose()
