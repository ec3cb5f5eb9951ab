"""The `http` hand-off against real Redis and a fake intake server on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.application.model import Status
from bot.handoff import Handoff, HandoffResult, LinkHandoff, TownshipHandoff, make_handoff
from bot.handoff.outbox import DEAD, GROUP, QUEUED, RETRY, STREAM, HttpHandoff, Outbox, application_document
from bot.handoff.worker import Worker, WorkerConfig, backoff, sign
from bot.services import Services
from tests.handoff.conftest import HANDOFF_DB, INTAKE_SECRET

FAST = WorkerConfig(max_attempts=3, base_delay=0.01, max_delay=0.05, claim_idle_ms=150,
                    request_timeout=5.0, block_ms=20)


async def drain(worker: Worker, rounds: int = 60) -> None:
    """Run worker rounds until the stream and the retry set are both empty."""
    redis = worker.outbox.redis
    for _ in range(rounds):
        await worker.step()
        if not await redis.xlen(STREAM) and not await redis.zcard(RETRY):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("outbox did not drain")


def adapter(services: Services) -> Handoff:
    return make_handoff(services.settings, services.applications, services.redis, services.sealer)


async def test_make_handoff_picks_the_adapter(handoff_services) -> None:
    assert isinstance(handoff_services.handoff, HttpHandoff)
    for mode, kind in (("link", LinkHandoff), ("township", TownshipHandoff)):
        handoff_services.settings.handoff = mode
        assert isinstance(adapter(handoff_services), kind)


@pytest.mark.parametrize("mode,status", [("link", Status.GENERATED), ("township", Status.HANDED_TO_TOWNSHIP)])
async def test_status_adapters_write_the_status(handoff_services, make_record, mode, status) -> None:
    handoff_services.settings.handoff = mode
    record = await make_record()
    result = await adapter(handoff_services).hand_off(record)
    assert result == HandoffResult(status, mode)
    stored = await handoff_services.applications.get(record.id)
    assert stored.status == status
    assert [h["status"] for h in stored.history] == ["draft", str(status)]
    assert await adapter(handoff_services).forget_user("openid-resident-1") == 0


async def test_queued_entry_is_sealed_and_delivered_signed(handoff_services, make_record, intake,
                                                            person) -> None:
    record = await make_record()
    result = await handoff_services.handoff.hand_off(record)
    assert result == HandoffResult(Status.GENERATED, "queued")
    assert (await handoff_services.applications.get(record.id)).status == Status.GENERATED

    raw = repr(await handoff_services.redis.xrange(STREAM))
    for value in person.values():
        assert value not in raw and value.encode().hex() not in raw
    assert record.id in raw  # the id is not personal and is the idempotency key

    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await drain(worker)
    await worker.aclose()
    assert intake.posts_for(record.id) == [201]
    assert intake.created[record.id] == json.loads(json.dumps(application_document(record)))
    stored = await handoff_services.applications.get(record.id)
    assert stored.status == Status.DELIVERED
    assert [h["status"] for h in stored.history] == ["draft", "generated", "delivered"]
    assert await handoff_services.redis.xlen(STREAM) == 0  # acknowledged entries are deleted
    assert (await handoff_services.redis.xpending(STREAM, GROUP))["pending"] == 0


async def test_enqueue_is_idempotent(handoff_services, make_record, intake) -> None:
    record = await make_record()
    handoff = handoff_services.handoff
    await handoff.hand_off(record)
    await handoff.hand_off(record)
    assert await handoff_services.redis.xlen(STREAM) == 1
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await drain(worker)
    await handoff.hand_off(record)  # after delivery: nothing queued again
    await drain(worker)
    await worker.aclose()
    assert intake.posts_for(record.id) == [201]


async def test_transient_failures_are_retried_with_backoff(handoff_services, make_record, intake) -> None:
    record = await make_record()
    intake.fail[record.id] = [503, 500]
    await handoff_services.handoff.hand_off(record)
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await worker.step()
    assert await handoff_services.redis.zcard(RETRY) == 1  # parked for its backoff, not in the stream
    assert await handoff_services.redis.xlen(STREAM) == 0
    await drain(worker)
    await worker.aclose()
    assert intake.posts_for(record.id) == [503, 500, 201]
    assert (await handoff_services.applications.get(record.id)).status == Status.DELIVERED
    assert await handoff_services.redis.xlen(DEAD) == 0


@pytest.mark.parametrize("status", [500, 422])
async def test_poison_entry_goes_to_dead_letter_after_n(handoff_services, make_record, intake,
                                                         status) -> None:
    poison, good = await make_record("openid-a"), await make_record("openid-b")
    intake.always[poison.id] = status
    handoff = handoff_services.handoff
    await handoff.hand_off(poison)
    await handoff.hand_off(good)
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await drain(worker)
    await worker.aclose()
    assert intake.posts_for(poison.id) == [status] * FAST.max_attempts
    assert intake.posts_for(good.id) == [201]  # the poison entry did not block the other one
    dead = await handoff_services.redis.xrange(DEAD)
    assert len(dead) == 1
    fields = dead[0][1]
    assert fields[b"rid"] == poison.id.encode() and fields[b"reason"] == f"http_{status}".encode()
    assert fields[b"attempt"] == str(FAST.max_attempts).encode()
    assert (await handoff_services.applications.get(poison.id)).status == Status.FAILED
    assert (await handoff_services.applications.get(good.id)).status == Status.DELIVERED


async def test_wrong_signature_is_refused_by_the_receiver(handoff_services, make_record, intake) -> None:
    handoff_services.settings.intake_secret = "not-the-receivers-secret"
    record = await make_record()
    await handoff_services.handoff.hand_off(record)
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await drain(worker)
    await worker.aclose()
    assert intake.posts_for(record.id) == [401] * FAST.max_attempts
    assert intake.created == {}
    assert (await handoff_services.applications.get(record.id)).status == Status.FAILED


async def test_worker_killed_before_ack_is_reclaimed_and_delivered_once(handoff_services, make_record,
                                                                       intake) -> None:
    record = await make_record()
    await handoff_services.handoff.hand_off(record)
    intake.hang_after_accept = 1.0  # the receiver stores it, the answer never reaches worker A

    first = Worker(handoff_services, consumer="worker-a", config=FAST)
    task = asyncio.create_task(first.step())
    assert await asyncio.to_thread(intake.accepted.wait, 5)
    task.cancel()  # worker A dies between the POST and its XACK
    with pytest.raises(asyncio.CancelledError):
        await task
    await first.aclose()
    pending = await handoff_services.redis.xpending_range(STREAM, GROUP, min="-", max="+", count=10)
    assert [p["consumer"] for p in pending] == [b"worker-a"]
    assert (await handoff_services.applications.get(record.id)).status == Status.GENERATED

    intake.hang_after_accept = 0.0
    await asyncio.sleep(FAST.claim_idle_ms / 1000 + 0.05)
    second = Worker(handoff_services, consumer="worker-b", config=FAST)
    assert await second.step() == 1  # taken over by XAUTOCLAIM
    await second.aclose()
    assert intake.posts_for(record.id) == [201, 200]  # redelivered; the receiver de-duplicated it
    assert list(intake.created) == [record.id]
    assert (await handoff_services.applications.get(record.id)).status == Status.DELIVERED
    assert (await handoff_services.redis.xpending(STREAM, GROUP))["pending"] == 0


async def test_delivered_marker_prevents_a_second_post(handoff_services, make_record, intake,
                                                       monkeypatch) -> None:
    record = await make_record()
    await handoff_services.handoff.hand_off(record)
    first = Worker(handoff_services, consumer="worker-a", config=FAST)

    async def crash(entry) -> None:
        raise ConnectionError("died before XACK")

    monkeypatch.setattr(first.outbox, "ack", crash)
    with pytest.raises(ConnectionError):
        await first.step()
    await first.aclose()
    await asyncio.sleep(FAST.claim_idle_ms / 1000 + 0.05)
    second = Worker(handoff_services, consumer="worker-b", config=FAST)
    await drain(second)
    await second.aclose()
    assert intake.posts_for(record.id) == [201]  # no second POST at all
    assert (await handoff_services.applications.get(record.id)).status == Status.DELIVERED
    assert (await handoff_services.redis.xpending(STREAM, GROUP))["pending"] == 0


async def test_many_applications_two_workers_exactly_one_delivery_each(handoff_services, make_record,
                                                                       intake) -> None:
    records = [await make_record(f"openid-{i}") for i in range(12)]
    for record in records[::3]:
        intake.fail[record.id] = [502]
    handoff = handoff_services.handoff
    for record in records:
        await handoff.hand_off(record)
    workers = [Worker(handoff_services, consumer=f"w{i}", config=FAST) for i in range(2)]
    for _ in range(60):
        await asyncio.gather(*(w.step() for w in workers))
        if not await handoff_services.redis.xlen(STREAM) and not await handoff_services.redis.zcard(RETRY):
            break
        await asyncio.sleep(0.02)
    for worker in workers:
        await worker.aclose()
    assert sorted(intake.created) == sorted(r.id for r in records)
    for record in records:
        assert intake.posts_for(record.id).count(201) == 1
        assert (await handoff_services.applications.get(record.id)).status == Status.DELIVERED


async def test_forget_user_removes_only_their_undelivered_entries(handoff_services, make_record,
                                                                  intake) -> None:
    redis, handoff = handoff_services.redis, handoff_services.handoff
    mine_retry, mine_dead, mine_queued = [await make_record("openid-me") for _ in range(3)]
    theirs = await make_record("openid-them")
    slow = WorkerConfig(max_attempts=3, base_delay=60, claim_idle_ms=150, block_ms=20)

    intake.fail[mine_retry.id] = [500]
    await handoff.hand_off(mine_retry)
    worker = Worker(handoff_services, consumer="w1", config=slow)
    await worker.step()  # parked in the retry set for a minute
    await worker.aclose()

    intake.always[mine_dead.id] = 500
    await handoff.hand_off(mine_dead)
    worker = Worker(handoff_services, consumer="w1", config=WorkerConfig(max_attempts=1, block_ms=20))
    await worker.step()  # dead letter at once
    await worker.aclose()

    await handoff.hand_off(mine_queued)
    await handoff.hand_off(theirs)
    assert (await redis.zcard(RETRY), await redis.xlen(DEAD), await redis.xlen(STREAM)) == (1, 1, 2)

    assert await handoff.forget_user("openid-me") == 3
    remaining = await redis.xrange(STREAM)
    assert [fields[b"rid"] for _, fields in remaining] == [theirs.id.encode()]
    assert (await redis.zcard(RETRY), await redis.xlen(DEAD)) == (0, 0)


async def test_record_deleted_before_delivery_is_dropped(handoff_services, make_record, intake) -> None:
    record = await make_record("openid-gone")
    await handoff_services.handoff.hand_off(record)
    await handoff_services.applications.delete_user("openid-gone")
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await drain(worker)
    await worker.aclose()
    assert intake.posts == []
    assert await handoff_services.redis.xlen(DEAD) == 0


async def test_stream_survives_expiry_of_its_group(handoff_services, make_record, intake) -> None:
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await worker.step()
    await handoff_services.redis.delete(STREAM)  # as if the idle stream had expired
    record = await make_record()
    await handoff_services.handoff.hand_off(record)
    await drain(worker)
    await worker.aclose()
    assert intake.posts_for(record.id) == [201]


def test_backoff_grows_and_is_bounded() -> None:
    config = WorkerConfig(base_delay=2.0, max_delay=60.0)
    for failures in range(1, 12):
        delay = backoff(failures, config)
        assert min(60.0, 2.0 * 2 ** (failures - 1)) / 2 <= delay <= min(60.0, 2.0 * 2 ** (failures - 1))


def test_signature_is_hmac_sha256_of_the_body() -> None:
    body = b'{"id":"x"}'
    assert sign(body, "k") == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()


def test_worker_needs_intake_settings(handoff_services) -> None:
    from bot.errors import ConfigError

    handoff_services.settings.intake_url = ""
    with pytest.raises(ConfigError):
        Worker(handoff_services)


async def test_outbox_entries_expire(handoff_services, make_record) -> None:
    record = await make_record()
    await Outbox(handoff_services.redis, handoff_services.sealer, 3600).enqueue(record)
    assert 0 < await handoff_services.redis.ttl(STREAM) <= 3600
    assert 0 < await handoff_services.redis.ttl(QUEUED + record.id) <= 3600


async def test_entry_sealed_with_a_retired_key_goes_to_dead_letter(handoff_services, make_record,
                                                                   intake) -> None:
    from bot.crypto import Sealer

    record = await make_record()
    old = Sealer({"old": b"o" * 32}, "old", "another secret")
    await Outbox(handoff_services.redis, old, 3600).enqueue(record)
    worker = Worker(handoff_services, consumer="w1", config=FAST)
    await drain(worker)
    await worker.aclose()
    assert intake.posts == []
    [(_, fields)] = await handoff_services.redis.xrange(DEAD)
    assert fields[b"reason"] == b"unreadable"
    assert (await handoff_services.applications.get(record.id)).status == Status.FAILED


async def test_background_worker_delivers_and_stops(handoff_services, make_record, intake,
                                                    redis_base_url) -> None:
    from bot.handoff.worker import start_in_background

    handoff_services.settings.redis_url = f"{redis_base_url}/9"
    task = start_in_background(handoff_services, FAST)
    record = await make_record()
    await handoff_services.handoff.hand_off(record)
    for _ in range(200):
        if (await handoff_services.applications.get(record.id)).status == Status.DELIVERED:
            break
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert intake.posts_for(record.id) == [201]
    assert (await handoff_services.applications.get(record.id)).status == Status.DELIVERED


async def test_worker_survives_a_redis_outage(handoff_services, make_record, intake) -> None:
    from bot.storage import connect

    refused = connect("redis://127.0.0.1:1/0", 0.2)
    worker = Worker(handoff_services, redis=refused, consumer="w1", config=FAST)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    await asyncio.sleep(0.3)
    assert not task.done()  # paused, not crashed
    stop.set()
    await asyncio.wait_for(task, 3)


async def test_worker_process_killed_with_sigkill_is_taken_over(handoff_services, make_record, intake,
                                                                redis_base_url) -> None:
    """A real `python -m bot worker` process dies by SIGKILL after POSTing, before its XACK."""
    record = await make_record()
    await handoff_services.handoff.hand_off(record)
    intake.hang_after_accept = 30.0  # the receiver stores it; the answer never reaches the worker
    env = {**os.environ, "REDIS_URL": f"{redis_base_url}/{HANDOFF_DB}", "HANDOFF": "http",
           "INTAKE_URL": intake.url, "INTAKE_SECRET": INTAKE_SECRET, "APP_ENV": "test"}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker", "--consumer", "doomed"], env=env,
                              cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert await asyncio.to_thread(intake.accepted.wait, 20), "the worker process never POSTed"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    pending = await handoff_services.redis.xpending_range(STREAM, GROUP, min="-", max="+", count=10)
    assert [p["consumer"] for p in pending] == [b"doomed"]

    intake.hang_after_accept = 0.0
    await asyncio.sleep(FAST.claim_idle_ms / 1000 + 0.05)
    rescuer = Worker(handoff_services, consumer="rescuer", config=FAST)
    assert await rescuer.step() == 1
    await rescuer.aclose()
    assert list(intake.created) == [record.id]  # delivered once, though posted twice
    assert (await handoff_services.applications.get(record.id)).status == Status.DELIVERED
    assert (await handoff_services.redis.xpending(STREAM, GROUP))["pending"] == 0
