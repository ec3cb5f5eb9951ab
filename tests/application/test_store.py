"""The application store: sealed payloads, TTL on every key, indexes, status history, deletion."""

from datetime import UTC, datetime, timedelta

import pytest
from fakeredis import FakeAsyncRedis

from bot.application.model import ApplicationRecord, Status
from bot.application.store import ApplicationStore
from bot.crypto import Sealer
from bot.settings import DEV_DATA_KEY
from tests.application.support import ID_NUMBER, NAME, PHONE

TTL = 3600


@pytest.fixture
def store() -> ApplicationStore:
    sealer = Sealer.from_settings(DEV_DATA_KEY, "dev1", "test-secret")
    return ApplicationStore(FakeAsyncRedis(), sealer, TTL)


def record(store: ApplicationStore, user: str, township: str = "530428003", at: str | None = None,
           kind: str = "application") -> ApplicationRecord:
    made = ApplicationRecord.new(kind, store.sealer.pseudonym(user), township,  # type: ignore[arg-type]
                                 {"applicant": {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE}})
    if at is not None:
        made.created_at = made.updated_at = at
    return made


async def all_keys(store: ApplicationStore) -> dict[bytes, bytes]:
    found = {}
    async for key in store.redis.scan_iter():
        kind = await store.redis.type(key)
        found[key] = repr(await store.redis.hgetall(key) if kind == b"hash" else
                          await store.redis.zrange(key, 0, -1)).encode()
    return found


async def test_round_trip_sealed_and_expiring(store: ApplicationStore) -> None:
    openid = "oAbCdEfGhIjKlMnOpQrStUvWxYz0"
    made = record(store, openid)
    await store.save(made)
    loaded = await store.get(made.id)
    assert loaded == made
    keys = await all_keys(store)
    assert len(keys) == 3  # the record and its two indexes
    for key, value in keys.items():
        assert 0 < await store.redis.ttl(key) <= TTL
        for secret in (NAME, ID_NUMBER, PHONE, openid):
            assert secret.encode() not in value and secret.encode() not in key
    assert await store.get("missing") is None


async def test_indexes_newest_first(store: ApplicationStore) -> None:
    now = datetime.now(UTC)
    old = record(store, "u1", at=(now - timedelta(minutes=5)).isoformat(timespec="seconds"))
    new = record(store, "u1", township="530428009", at=now.isoformat(timespec="seconds"))
    other = record(store, "u2")
    for made in (old, new, other):
        await store.save(made)
    assert [r.id for r in await store.for_user("u1")] == [new.id, old.id]
    assert {r.id for r in await store.for_township("530428003")} == {other.id, old.id}
    assert [r.id for r in await store.for_township("530428009")] == [new.id]


async def test_set_status_appends_history(store: ApplicationStore) -> None:
    made = record(store, "u1")
    await store.save(made)
    await store.set_status(made.id, Status.GENERATED)
    await store.set_status(made.id, Status.DELIVERED)
    loaded = await store.get(made.id)
    assert loaded is not None and loaded.status is Status.DELIVERED
    assert [h["status"] for h in loaded.history] == ["draft", "generated", "delivered"]
    assert loaded.updated_at == loaded.history[-1]["at"]
    assert 0 < await store.redis.ttl(store._key(made.id)) <= TTL
    await store.set_status("missing", Status.FAILED)  # a deleted record stays deleted
    assert await store.redis.exists(store._key("missing")) == 0


async def test_expired_records_leave_the_indexes(store: ApplicationStore) -> None:
    made = record(store, "u1")
    await store.save(made)
    await store.redis.delete(store._key(made.id))  # as if it expired
    assert await store.for_user("u1") == []
    assert await store.redis.zcard(store._user_index(made.user_key)) == 0


async def test_index_entries_older_than_the_ttl_are_trimmed(store: ApplicationStore) -> None:
    stale = record(store, "u1", at=(datetime.now(UTC) - timedelta(seconds=TTL + 60)).isoformat())
    await store.save(stale)
    await store.save(record(store, "u1"))
    assert stale.id.encode() not in await store.redis.zrange(store._user_index(stale.user_key), 0, -1)


async def test_delete_user_removes_records_and_index_entries(store: ApplicationStore) -> None:
    mine = [record(store, "u1"), record(store, "u1", kind="report")]
    theirs = record(store, "u2")
    for made in (*mine, theirs):
        await store.save(made)
    assert await store.delete_user("u1") == 2
    assert await store.for_user("u1") == []
    assert [r.id for r in await store.for_township("530428003")] == [theirs.id]
    left = {store._key(theirs.id), store._user_index(theirs.user_key), store._township_index("530428003")}
    assert set(await all_keys(store)) == {key.encode() for key in left}
    assert await store.delete_user("u1") == 0
