"""Prometheus metrics for operations staff, at `GET /metrics`, the same for one worker or N.

With N worker processes each counts in its own files under `PROMETHEUS_MULTIPROC_DIR`
(prometheus-client's multi-process mode; the directory must exist and be emptied before the
service starts), and whichever worker answers a scrape adds them all up. Without that variable
the process's own registry is served. Gauges that describe the deployment rather than a process
(the outbox backlog and dead letters) are read from Redis when scraped, so every worker reports
the same value.

Labels are small closed sets (message kinds, answer outcomes, danger categories, rate-limit kinds,
exception class names): never a user, a text or an address.

Who may read it: anyone in development; in production a request that carries
`Authorization: Bearer $METRICS_TOKEN`, or one from an address of `METRICS_ALLOW` (default
loopback) that did not come through a proxy (it has no X-Forwarded-For / X-Real-IP / Forwarded),
so that nginx in front cannot make the public look internal.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from bot.errors import StorageUnavailable

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")

MESSAGES = Counter("bot_messages", "WeChat messages received, by kind (text, voice, event, ...)", ["kind"])
ANSWERS = Counter("bot_answers", "Policy questions in chat, by outcome (answer, clarify, fallback)",
                  ["outcome"])
DANGER = Counter("bot_danger_messages", "Messages that signalled danger to life, by category",
                 ["category"])
RATE_LIMITED = Counter("bot_rate_limited", "Events refused by a rate limit, by limit", ["limit"])
DUPLICATES = Counter("bot_duplicates_absorbed",
                     "WeChat retries of a message already answered or still being answered")
LATENCY = Histogram("bot_webhook_seconds", "Seconds from a /wechat request's arrival to its reply",
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 5.0))
REDIS_ERRORS = Counter("bot_redis_errors", "Redis calls that failed, by exception class", ["error"])

router = APIRouter()


class _Outbox(Collector):
    """The outbox's backlog and dead letters, as read from Redis just before this scrape."""

    def __init__(self, backlog: int | None, dead: int | None) -> None:
        self.backlog, self.dead = backlog, dead

    def collect(self) -> Iterator[Metric]:
        for name, doc, value in (
                ("bot_outbox_backlog", "Applications waiting for delivery (queued or retrying)",
                 self.backlog),
                ("bot_outbox_dead_letters", "Applications the outbox gave up on (dead letters)", self.dead)):
            if value is not None:
                yield GaugeMetricFamily(name, doc, value=value)


async def _outbox_sizes(request: Request) -> tuple[int | None, int | None]:
    from bot.handoff.outbox import DEAD, RETRY, STREAM
    from bot.storage import guarded  # which counts its failures here

    redis = request.app.state.services.redis
    try:
        return (await guarded(lambda: redis.xlen(STREAM)) + await guarded(lambda: redis.zcard(RETRY)),
                await guarded(lambda: redis.xlen(DEAD)))
    except StorageUnavailable:
        return None, None  # bot_redis_errors says why


def allowed(request: Request) -> bool:
    settings = request.app.state.services.settings
    if not settings.production:
        return True
    given = request.headers.get("authorization", "").encode()
    if settings.metrics_token and hmac.compare_digest(given, f"Bearer {settings.metrics_token}".encode()):
        return True
    if any(name in request.headers for name in PROXY_HEADERS) or request.client is None:
        return False
    try:
        address = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    return any(address in network for network in settings.metrics_networks)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    if not allowed(request):
        return PlainTextResponse("not found", status_code=404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Everything())
    registry.register(_Outbox(*await _outbox_sizes(request)))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE)


class _Everything(Collector):
    """This process's own metrics (single-process mode), next to the per-scrape outbox gauges."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
