"""The outbox lease: one outbox worker per deployment, however many web workers start one."""

from __future__ import annotations

import asyncio
import time

from bot.application.model import Status
from bot.handoff.lease import KEY, Lease
from bot.handoff.outbox import GROUP, STREAM
from bot.handoff.worker import Worker
from tests.handoff.conftest import INTAKE_SECRET
from tests.handoff.test_outbox import FAST
from tests.servers import running


async def test_one_holder_at_a_time_and_a_release_hands_over(redis_client) -> None:
    first, second = Lease(redis_client), Lease(redis_client)
    assert await first.hold() and not await second.hold()
    assert await first.hold()  # renewing keeps it
    await second.release()  # not the holder: nothing happens
    assert not await second.hold()
    await first.release()
    assert await second.hold() and not await first.hold()


async def test_a_holder_that_stops_renewing_is_replaced_and_cannot_renew_after(redis_client) -> None:
    crashed, standby = Lease(redis_client, ttl=0.2), Lease(redis_client, ttl=0.2)
    assert await crashed.hold()
    await asyncio.sleep(0.3)
    assert await standby.hold()
    assert not await crashed.hold()  # it never renews the lease someone else now holds
    assert await redis_client.get(KEY) == standby.token.encode()


async def drain_statuses(services, ids, seconds: float) -> list[Status]:
    deadline = time.monotonic() + seconds
    while True:
        statuses = [(await services.applications.get(rid)).status for rid in ids]
        if all(s == Status.DELIVERED for s in statuses) or time.monotonic() > deadline:
            return statuses
        await asyncio.sleep(0.05)


async def test_of_two_workers_only_the_holder_reads_and_the_other_takes_over(
        handoff_services, redis_client, make_record, intake) -> None:
    workers = [Worker(handoff_services, consumer=name, config=FAST, lease=Lease(redis_client, ttl=0.3))
               for name in ("w1", "w2")]
    stops = [asyncio.Event(), asyncio.Event()]
    tasks = [asyncio.create_task(w.run(stop)) for w, stop in zip(workers, stops, strict=True)]
    records = [await make_record(f"openid-{i}") for i in range(5)]
    for record in records:
        await handoff_services.handoff.hand_off(record)
    assert set(await drain_statuses(handoff_services, [r.id for r in records], 10)) == {Status.DELIVERED}
    consumers = {c["name"].decode() for c in await redis_client.xinfo_consumers(STREAM, GROUP)}
    assert consumers in ({"w1"}, {"w2"})
    holder = 0 if consumers == {"w1"} else 1
    stops[holder].set()  # a clean stop releases the lease
    await tasks[holder]
    late = await make_record("openid-late")
    await handoff_services.handoff.hand_off(late)
    assert await drain_statuses(handoff_services, [late.id], 10) == [Status.DELIVERED]
    stops[1 - holder].set()
    await tasks[1 - holder]
    assert sorted(key for key, status in intake.posts) == sorted([r.id for r in records] + [late.id])


async def test_two_server_processes_run_one_outbox_worker(handoff_services, redis_client, make_record,
                                                          intake, redis_url) -> None:
    env = {"HANDOFF": "http", "INTAKE_URL": intake.url, "INTAKE_SECRET": INTAKE_SECRET}
    with running(redis_url, env, env) as servers:
        records = [await make_record(f"openid-{i}") for i in range(4)]
        for record in records:
            await handoff_services.handoff.hand_off(record)
        assert set(await drain_statuses(handoff_services, [r.id for r in records], 30)) == {Status.DELIVERED}
        consumers = [c["name"].decode() for c in await redis_client.xinfo_consumers(STREAM, GROUP)]
        holder = [s for s in servers if consumers[0].endswith(f"-{s.proc.pid}")]
        assert len(consumers) == 1 and len(holder) == 1
        holder[0].stop()  # SIGTERM: the lease is released and the other process takes over
        late = await make_record("openid-late")
        await handoff_services.handoff.hand_off(late)
        assert await drain_statuses(handoff_services, [late.id], 30) == [Status.DELIVERED]
    assert sorted(key for key, _ in intake.posts) == sorted([r.id for r in records] + [late.id])
