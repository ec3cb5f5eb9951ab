"""Privacy at rest and in logs, after a whole resident journey.

Real Redis (db 11 on 127.0.0.1:6379, flushed before and after): screening result → 生成申请 →
我的申请 → page; then a SCAN must find no name, ID number, phone or income anywhere and a TTL on
every key. A full conversation under DEBUG logging must not log any of them either.
"""

import logging
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio as aioredis
from fakeredis import FakeAsyncRedis

from bot.application.model import Status
from bot.engine import Engine
from bot.services import Services
from tests.application.support import (
    ID_NUMBER,
    INCOME,
    NAME,
    PHONE,
    FakeHandoff,
    apply,
    make_app,
    make_services,
    path_of,
    put_screening,
    say,
)

DB = 11
USER = "oPrivacyOpenid000001"
SECRETS = (NAME.encode(), ID_NUMBER.encode(), PHONE.encode(), str(INCOME).encode(), USER.encode(),
           b"id_number", b"monthly_income", b"phone")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.3):
            return True
    except OSError:
        return False


@pytest.fixture
async def real_redis() -> AsyncIterator[aioredis.Redis]:
    if not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    client = aioredis.Redis(db=DB)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


async def dump(client: aioredis.Redis, key: bytes) -> bytes:
    kind = (await client.type(key)).decode()
    if kind == "string":
        return await client.get(key) or b""
    if kind == "hash":
        return repr(await client.hgetall(key)).encode()
    if kind == "zset":
        return repr(await client.zrange(key, 0, -1)).encode()
    if kind == "list":
        return repr(await client.lrange(key, 0, -1)).encode()
    if kind == "set":
        return repr(await client.smembers(key)).encode()
    if kind == "stream":
        return repr(await client.xrange(key)).encode()
    raise AssertionError(f"unexpected key type {kind}")


async def journey(services: Services) -> None:
    engine = Engine(services)
    await put_screening(services, USER)
    final = await apply(engine, USER)
    await say(engine, USER, "我的申请")
    transport = httpx.ASGITransport(app=make_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        assert (await c.get(path_of(final[0].url))).status_code == 200
    await say(engine, USER, "生成申请")  # an unfinished second run leaves personal data in the session
    await say(engine, USER, NAME)
    await say(engine, USER, ID_NUMBER)


async def test_redis_scan_after_a_journey_shows_no_personal_data(real_redis: aioredis.Redis,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    services = make_services(real_redis)
    services.handoff = FakeHandoff(services.applications, status=Status.HANDED_TO_TOWNSHIP)
    await journey(services)
    keys = [key async for key in real_redis.scan_iter(count=1000)]
    kinds = {b":".join(key.split(b":")[:2]) if key.startswith(b"{") else key.split(b":", 1)[0]
             for key in keys}
    assert {b"sess", b"screen", b"{apps}:app", b"{apps}:user", b"{apps}:township"} <= kinds
    for key in keys:
        value = await dump(real_redis, key)
        for secret in SECRETS:
            assert secret not in key and secret not in value, (key, secret)
        assert await real_redis.ttl(key) > 0, key
    record = (await services.applications.for_user(USER))[0]
    assert record.payload["applicant"]["id_number"] == ID_NUMBER  # sealed, not lost


async def test_a_full_conversation_logs_no_personal_data(caplog: pytest.LogCaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    services = make_services(FakeAsyncRedis())
    services.handoff = FakeHandoff(services.applications, error=RuntimeError(f"refused {ID_NUMBER}"))
    caplog.set_level(logging.DEBUG)
    engine = Engine(services)
    await put_screening(services, USER)
    await say(engine, USER, "生成申请")
    for text in (NAME + "1", NAME, ID_NUMBER[:-1], ID_NUMBER.lower(), PHONE[:-1], PHONE, "99", "3", "东峨村",
                 "同意", "同意"):
        await say(engine, USER, text)
    await say(engine, USER, "我的申请")
    await journey(services)
    await say(engine, USER, "删除我的信息")
    await say(engine, USER, "确认删除")
    assert caplog.records, "expected some log records (the failed hand-off at least)"
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    for secret in (NAME, ID_NUMBER, ID_NUMBER[:-1], PHONE, PHONE[:-1], str(INCOME)):
        assert secret not in text, secret
