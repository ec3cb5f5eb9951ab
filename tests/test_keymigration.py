"""`python -m bot migrate-keys`: what an older version wrote is found under today's names."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from bot.application.model import ApplicationRecord, Status
from bot.handoff.outbox import GROUP, STREAM
from bot.keymigration import migrate, new_name
from bot.services import Services, build_services
from bot.sessions import Session
from bot.settings import Settings
from bot.staff.audit import AUDIT_STREAM

DB = 13
USER = "oUpgradedResident1"


@pytest.fixture
async def old(redis_db) -> AsyncIterator[aioredis.Redis]:  # type: ignore[no-untyped-def]
    async with redis_db(DB) as client:
        yield client


@pytest.fixture
def services(old: aioredis.Redis) -> Services:
    return build_services(Settings(app_env="test", _env_file=None), redis=old)


def test_names() -> None:
    assert new_name(b"sess:abc123") == ("sess", "sess:{abc123}")
    assert new_name(b"app:Xy-9") == ("application", "{apps}:app:Xy-9")
    assert new_name(b"apps:township:530428001") == ("application index", "{apps}:township:530428001")
    assert new_name(b"outbox:done:Xy-9") == ("outbox", "{outbox}:done:Xy-9")
    assert new_name(b"staff:audit") == ("audit", "{staff:audit}")
    for current in (b"sess:{abc123}", b"{apps}:app:Xy-9", b"staff:sess:abcd", b"rate/x", b"turn:abc"):
        assert new_name(current) is None


async def test_an_upgrade_keeps_conversations_applications_and_the_outbox(old: aioredis.Redis,
                                                                         services: Services) -> None:
    pseudonym = services.sealer.pseudonym(USER)
    # What the previous version wrote, under its names.
    await old.set(f"sess:{pseudonym}", services.sealer.seal(Session().to_json(), "sess"), ex=1800)
    record = ApplicationRecord.new(kind="application", user_key=pseudonym, township_code="530428001",
                                   payload={"schema_version": "application-v1"})
    await old.hset(f"app:{record.id}", mapping=services.applications._fields(record))
    await old.expire(f"app:{record.id}", 3600)
    await old.zadd(f"apps:user:{pseudonym}", {record.id: 1.0})
    await old.zadd("apps:township:530428001", {record.id: 1.0})
    await old.xgroup_create("outbox:stream", GROUP, id="0", mkstream=True)
    await old.xadd("outbox:stream", {"rid": record.id, "owner": pseudonym, "attempt": "0", "body": "x"})
    await old.xreadgroup(GROUP, "old-worker", {"outbox:stream": ">"})  # read, never acknowledged
    await old.xadd("staff:audit", {"at": "2026-01-01T00:00:00", "user": "nanuo1", "action": "login"})

    counted = await migrate(old, apply=False, say=lambda _: None)
    assert sum(counted.values()) == 6 and await old.exists(f"sess:{pseudonym}")  # a dry run renames nothing

    lines: list[str] = []
    renamed = await migrate(old, apply=True, say=lines.append)
    assert renamed == counted and lines
    assert await services.sessions.load(USER) == Session()
    assert 0 < await old.ttl(f"sess:{{{pseudonym}}}") <= 1800  # TTLs go with the keys
    [mine] = await services.applications.for_user(USER)
    assert mine.id == record.id and mine.status == Status.DRAFT
    assert [r.id for r in await services.applications.for_township("530428001")] == [record.id]
    pending = await old.xpending(STREAM, GROUP)
    assert pending["pending"] == 1  # the consumer group and its unacknowledged entry came along
    assert await old.xlen(AUDIT_STREAM) == 1
    assert await migrate(old, apply=True, say=lines.append) == {}
