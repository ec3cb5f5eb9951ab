"""The outbox worker: POSTs queued applications to the county's intake endpoint.

Runs inside the server (`start_in_background`, from the app lifespan when `HANDOFF=http`) or as
its own process (`python -m bot worker`); any number may be started, and the one holding the
outbox lease (`bot.handoff.lease`) works while the others stand by, so a deployment of N web
workers runs one outbox worker, not N. The consumer group would share the work between several.
Each round it moves due retries back into the stream, takes over entries a crashed worker left
pending (XAUTOCLAIM after `claim_idle_ms`, longer than any request may take), reads new ones, and
delivers them:

- 2xx: delivered marker, status DELIVERED, acknowledge. A marker found on redelivery skips the
  POST; a POST repeated after a crash carries the same `Idempotency-Key`, which the receiver
  de-duplicates, so each application is accepted exactly once.
- anything else (network error, timeout, any non-2xx): retry after an exponential backoff with
  jitter; after `max_attempts` failures the entry goes to the dead-letter stream, status FAILED.

Request bodies are signed: `X-Signature: sha256=<hex HMAC-SHA256(body, INTAKE_SECRET)>`. Logs name
record ids and status codes only; response bodies are never logged (a receiver may echo data).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import random
import signal
import socket
import time
from dataclasses import dataclass

import httpx
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.application.model import Status
from bot.errors import ConfigError, SealError, StorageUnavailable
from bot.handoff.lease import Lease
from bot.handoff.outbox import Entry, Outbox
from bot.services import Services
from bot.storage import connect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    max_attempts: int = 8  # failures before the dead letter
    base_delay: float = 5.0  # seconds before the first retry; doubles each time
    max_delay: float = 1800.0
    claim_idle_ms: int = 120_000  # must exceed request_timeout, or live requests get stolen
    request_timeout: float = 20.0
    batch: int = 10
    block_ms: int = 2000


def backoff(failures: int, config: WorkerConfig) -> float:
    """Seconds to wait after the n-th failure: exponential, capped, with jitter against stampedes."""
    delay = min(config.max_delay, config.base_delay * 2 ** (failures - 1))
    return delay * random.uniform(0.5, 1.0)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Worker:
    def __init__(self, services: Services, *, redis: aioredis.Redis | None = None,
                 consumer: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 config: WorkerConfig | None = None, lease: Lease | None = None) -> None:
        settings = services.settings
        if not (settings.intake_url and settings.intake_secret):
            raise ConfigError("HANDOFF=http needs INTAKE_URL and INTAKE_SECRET")
        self.config = config or WorkerConfig()
        self.outbox = Outbox(redis or services.redis, services.sealer, settings.draft_ttl)
        self.store = services.applications
        self.url = settings.intake_url
        self.secret = settings.intake_secret
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}"
        self.client = httpx.AsyncClient(transport=transport, timeout=self.config.request_timeout)
        self.lease = lease

    async def aclose(self) -> None:
        await self.client.aclose()

    async def step(self, block_ms: int | None = None) -> int:
        """One round; returns how many entries were handled."""
        cfg = self.config
        await self.outbox.ensure_group()
        await self.outbox.promote_due()
        entries = await self.outbox.claim_stale(self.consumer, cfg.claim_idle_ms, cfg.batch)
        if not entries:
            wait = cfg.block_ms if block_ms is None else block_ms
            entries = await self.outbox.read_new(self.consumer, cfg.batch, wait)
        for n, entry in enumerate(entries):
            if n and self.lease is not None and not await self.lease.hold():
                break  # lost the lease mid-batch: the rest stay pending for the holder to claim
            await self.deliver(entry)
        return len(entries)

    async def deliver(self, entry: Entry) -> str:
        """Try one entry once; returns the outcome code ("delivered", "retry", "dead", "gone")."""
        if await self.store.get(entry.rid) is None:
            await self.outbox.ack(entry)  # the resident deleted their data meanwhile
            return "gone"
        if await self.outbox.is_delivered(entry.rid):
            return await self._delivered(entry)
        try:
            body = self.outbox.open_body(entry)
        except SealError:  # its data key was retired: no retry can ever read it
            return await self._give_up(entry, "unreadable", entry.attempt + 1)
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "X-Signature": sign(body, self.secret), "Idempotency-Key": entry.rid}
        try:
            response = await self.client.post(self.url, content=body, headers=headers)
            reason = f"http_{response.status_code}"
            ok = response.is_success
        except httpx.HTTPError as exc:
            reason, ok = "network", False
            log.warning("outbox: record %s not delivered: %s", entry.rid, type(exc).__name__)
        if ok:
            await self.outbox.mark_delivered(entry.rid)
            return await self._delivered(entry)
        failures = entry.attempt + 1
        if failures >= self.config.max_attempts:
            return await self._give_up(entry, reason, failures)
        await self.outbox.retry_later(entry, time.time() + backoff(failures, self.config))
        log.info("outbox: record %s failed (%s), retry %d scheduled", entry.rid, reason, failures)
        return "retry"

    async def _give_up(self, entry: Entry, reason: str, failures: int) -> str:
        await self.outbox.dead_letter(entry, reason)
        await self.store.set_status(entry.rid, Status.FAILED)
        log.error("outbox: record %s dead-lettered after %d failures (%s)", entry.rid, failures, reason)
        return "dead"

    async def _delivered(self, entry: Entry) -> str:
        await self.store.set_status(entry.rid, Status.DELIVERED)
        await self.outbox.ack(entry)
        log.info("outbox: record %s delivered", entry.rid)
        return "delivered"

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Work until `stop` is set (or the task is cancelled); storage outages only pause it."""
        stop = stop or asyncio.Event()
        try:
            while not stop.is_set():
                try:
                    if self.lease is None or await self.lease.hold():
                        await self.step()
                        continue
                    with contextlib.suppress(TimeoutError):  # another worker holds the lease
                        await asyncio.wait_for(stop.wait(), timeout=self.lease.retry)
                    continue
                except (RedisError, StorageUnavailable, OSError) as exc:
                    log.warning("outbox worker: storage unavailable (%s); pausing", type(exc).__name__)
                except Exception as exc:  # a bug must not stop deliveries for good; the entry is reclaimed
                    log.error("outbox worker: round failed (%s); pausing", type(exc).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=1.0)
        finally:
            if self.lease is not None:
                with contextlib.suppress(RedisError, StorageUnavailable, OSError):
                    await self.lease.release()  # a clean stop hands over at once
            await self.aclose()


def _worker_redis(services: Services, config: WorkerConfig) -> aioredis.Redis:
    """A connection of its own: XREADGROUP BLOCK outlasts the webhook's tight socket timeout."""
    settings = services.settings
    return connect(settings.redis_url, max(settings.redis_timeout, config.block_ms / 1000 + 2.0))


def start_in_background(services: Services, config: WorkerConfig | None = None) -> asyncio.Task[None]:
    """Start a worker in the running event loop; cancel the task to stop it."""
    config = config or WorkerConfig()
    redis = _worker_redis(services, config)
    worker = Worker(services, redis=redis, config=config, lease=Lease(redis))
    return asyncio.create_task(worker.run(), name="outbox-worker")


async def _main(consumer: str | None, once: bool) -> int:
    from bot.services import build_services
    from bot.settings import get_settings

    services = build_services(get_settings())
    config = WorkerConfig()
    redis = _worker_redis(services, config)
    worker = Worker(services, redis=redis, consumer=consumer, config=config,
                    lease=None if once else Lease(redis))
    if once:
        try:
            while await worker.step(block_ms=0):
                pass
        finally:
            await worker.aclose()
        return 0
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await worker.run(stop)
    return 0


def main(argv: list[str]) -> int:
    """`python -m bot worker [--consumer NAME] [--once]`."""
    parser = argparse.ArgumentParser(prog="python -m bot worker")
    parser.add_argument("--consumer", help="consumer name in the group (default: host-pid)")
    parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    args = parser.parse_args(argv)
    from bot.settings import get_settings

    if not get_settings().redis_url:
        print("the worker needs REDIS_URL (the embedded store lives inside the server)")
        return 2
    return asyncio.run(_main(args.consumer, args.once))


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
