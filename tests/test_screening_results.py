"""The last self-check result per resident: sealed, pseudonymous key, DRAFT_TTL, delete."""

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from bot.crypto import Sealer
from bot.errors import SealError
from bot.screening_results import ScreeningResults
from bot.settings import Settings

DB = 9  # this suite's own database on the shared Redis
USER = "oScreenResultUser01"
PAYLOAD = {
    "as_of": "2025-08-01",
    "household": {"hukou": "yuanjiang",
                  "members": [{"relation": "applicant", "age": 71, "monthly_income": 317}]},
    "results": [{"program": "dibao", "name": "最低生活保障(低保)", "status": "likely", "refs": [2, 18]}],
}


@pytest.fixture
async def client(redis_base_url: str) -> AsyncIterator[aioredis.Redis]:
    redis = aioredis.Redis.from_url(f"{redis_base_url}/{DB}")
    yield redis
    keys = [key async for key in redis.scan_iter("screen:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


@pytest.fixture
def store(client: aioredis.Redis) -> ScreeningResults:
    settings = Settings(_env_file=None)
    sealer = Sealer.from_settings(settings.data_keys, settings.data_key_id, settings.secret_key)
    return ScreeningResults(client, sealer, settings.draft_ttl)


async def test_round_trip_is_sealed_under_a_pseudonym_with_the_draft_ttl(
    store: ScreeningResults, client: aioredis.Redis
) -> None:
    await store.save(USER, PAYLOAD)
    assert await store.load(USER) == PAYLOAD
    key = store._key(USER)
    raw = await client.get(key)
    assert raw is not None
    assert USER.encode() not in key.encode() and b"317" not in raw and "低保".encode() not in raw
    assert 0 < await client.ttl(key) <= Settings(_env_file=None).draft_ttl


async def test_sealed_value_is_bound_to_its_kind(store: ScreeningResults, client: aioredis.Redis) -> None:
    await store.save(USER, PAYLOAD)
    raw = await client.get(store._key(USER))
    with pytest.raises(SealError):
        store.sealer.open(raw, "sess")


async def test_missing_and_delete(store: ScreeningResults) -> None:
    assert await store.load(USER) is None
    await store.save(USER, PAYLOAD)
    assert await store.delete(USER) == 1
    assert await store.load(USER) is None
    assert await store.delete(USER) == 0


async def test_saving_again_replaces_the_previous_result(store: ScreeningResults) -> None:
    await store.save(USER, PAYLOAD)
    newer = {**PAYLOAD, "as_of": "2025-09-01"}
    await store.save(USER, newer)
    assert await store.load(USER) == newer
