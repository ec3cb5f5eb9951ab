"""The same code on a 3-primary Redis Cluster: a conversation through the webhook, an application
handed off over HTTP, the outbox worker delivering it, deleting a resident's data, the staff audit
log and the shared access-token client. Every multi-key transaction and script would fail with
CROSSSLOT on a cluster if its keys did not share a hash tag."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
import redis.asyncio as aioredis
from redis.cluster import key_slot

from bot.application.model import Status
from bot.engine import Engine
from bot.handoff.outbox import DEAD, RETRY, STREAM
from bot.handoff.worker import Worker, WorkerConfig
from bot.knowledge import KnowledgeBase
from bot.services import Services, build_services
from bot.staff.audit import AuditLog
from bot.storage import connect, connect_sync
from tests.application.support import apply, put_screening, say
from tests.handoff.conftest import INTAKE_SECRET, FakeIntake
from tests.handoff.conftest import intake as intake
from tests.test_webhook import content_of, make_settings, post, signed, text_xml
from tests.topologies import Cluster, cluster

FAST = WorkerConfig(max_attempts=3, base_delay=0.01, max_delay=0.05, claim_idle_ms=150,
                    request_timeout=5.0, block_ms=20)
USER = "oClusterResident01"


@pytest.fixture(scope="module")
def redis_cluster() -> Iterator[Cluster]:
    with cluster() as running:
        yield running


@dataclass
class Deployment:
    services: Services
    client: httpx.AsyncClient


@pytest.fixture
async def deployment(redis_cluster: Cluster, intake: FakeIntake
                     ) -> AsyncIterator[Deployment]:
    from bot.app import create_app

    settings = make_settings(redis_url=redis_cluster.url, redis_timeout=2.0, handoff="http",
                             intake_url=intake.url, intake_secret=INTAKE_SECRET,
                             public_base_url="https://assist.example.cn")
    services = build_services(settings, redis=connect(settings.redis_url, settings.redis_timeout),
                              knowledge=KnowledgeBase.from_directory())
    await services.redis.flushall()
    app = create_app(settings, services)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx.test") as client:
        yield Deployment(services, client)
    await services.redis.flushall()
    await services.redis.aclose()


async def all_keys(redis: aioredis.Redis) -> list[bytes]:
    return [key async for key in redis.scan_iter(count=1000)]


async def test_a_conversation_through_the_webhook(deployment: Deployment) -> None:
    wx = deployment.client
    first = await post(wx, text_xml("低保怎么申请", msg_id="7001", user=USER), **signed(openid=USER))
    assert first.status_code == 200 and "低保" in content_of(first.text)
    again = await post(wx, text_xml("低保怎么申请", msg_id="7001", user=USER), **signed(openid=USER))
    assert content_of(again.text) == content_of(first.text)  # the retry is absorbed, same reply
    started = content_of((await post(wx, text_xml("自测", msg_id="7002", user=USER),
                                     **signed(openid=USER))).text)
    answered = content_of((await post(wx, text_xml("同意", msg_id="7003", user=USER),
                                      **signed(openid=USER))).text)
    assert started != answered and "系统繁忙" not in started + answered
    resident = deployment.services.sealer.pseudonym(USER)
    mine = [key for key in await all_keys(deployment.services.redis) if resident.encode() in key]
    assert mine and len({key_slot(key) for key in mine}) == 1  # one resident, one slot


async def test_an_application_goes_through_the_outbox(deployment: Deployment, intake: FakeIntake
                                                      ) -> None:
    services = deployment.services
    await put_screening(services, USER)
    engine = Engine(services)
    final = await apply(engine, USER)
    assert any(reply.url for reply in final)
    [record] = await services.applications.for_user(USER)
    assert record.status == Status.GENERATED
    assert await services.redis.xlen(STREAM) == 1
    intake.fail[record.id] = [503]  # one retry: the retry set and the stream change together

    worker = Worker(services, consumer="cluster-1", config=FAST)
    try:
        for _ in range(50):
            await worker.step()
            if not await services.redis.xlen(STREAM) and not await services.redis.zcard(RETRY):
                break
    finally:
        await worker.aclose()
    assert intake.posts_for(record.id) == [503, 201]
    stored = await services.applications.get(record.id)
    assert stored is not None and stored.status == Status.DELIVERED
    assert await services.redis.xlen(DEAD) == 0

    await say(engine, USER, "删除我的信息")
    await say(engine, USER, "确认删除")
    assert await services.applications.for_user(USER) == []


async def test_staff_audit_and_the_shared_token_client(deployment: Deployment) -> None:
    audit = AuditLog(deployment.services.redis)
    await audit.record("nanuo1", "530428001", "queue")
    for _ in range(3):  # the scripts use the stream and the repeats hash together
        await audit.record_repeated("nanuo1", "530428001", "login", "refused")
    page = await audit.page("530428001")
    assert {entry.action for entry in page.entries} == {"queue", "login"}
    blocking = connect_sync(deployment.services.settings.redis_url, 2.0)
    try:
        assert blocking.set("wx:token:test", "t", ex=60) and blocking.get("wx:token:test") == b"t"
    finally:
        blocking.close()
