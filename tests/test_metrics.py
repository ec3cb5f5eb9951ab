"""`/metrics`: what operations staff can count, who may read it, and N workers adding up."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import redis.asyncio as aioredis
from prometheus_client.parser import text_string_to_metric_families
from starlette.requests import Request

from bot.application.model import ApplicationRecord
from bot.handoff.outbox import Outbox
from bot.metrics import allowed
from bot.services import Services, build_services
from bot.settings import Settings
from bot.storage import connect
from tests.servers import running
from tests.test_webhook import KB, client_for, content_of, make_settings, post, signed, text_xml

TOKEN = "metrics-token-0123456789abcdef"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def total(found: dict, name: str) -> float:
    """The sum over every label value of `name`."""
    return sum(v for (sample, _), v in found.items() if sample == name)


@pytest.fixture
async def wired(redis_client: aioredis.Redis) -> AsyncIterator[tuple[Services, httpx.AsyncClient]]:
    services = build_services(make_settings(rate_limit_messages="4/minute"), redis=redis_client,
                              knowledge=KB)
    async with client_for(services) as client:
        yield services, client


async def test_counts_what_happens(wired: tuple[Services, httpx.AsyncClient]) -> None:
    _, wx = wired
    before = await scrape(wx)
    asked = await post(wx, text_xml("低保怎么申请", msg_id="5001"))
    assert content_of(asked.text)
    await post(wx, text_xml("低保怎么申请", msg_id="5001"))  # WeChat's retry
    await post(wx, text_xml("我不想活了 喝了农药", msg_id="5002"))
    for n in range(3):  # over RATE_LIMIT_MESSAGES (4/minute)
        await post(wx, text_xml(f"第{n}个问题", msg_id=f"501{n}"))
    after = await scrape(wx)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("bot_messages_total", kind="text") == 6
    assert grew("bot_answers_total", outcome="answer") >= 1
    assert grew("bot_duplicates_absorbed_total") == 1
    assert total(after, "bot_danger_messages_total") - total(before, "bot_danger_messages_total") == 1
    assert grew("bot_rate_limited_total", limit="messages") >= 1
    assert grew("bot_webhook_seconds_count") == 6
    assert value(after, "bot_outbox_backlog") == 0 and value(after, "bot_outbox_dead_letters") == 0


async def test_outbox_backlog_is_read_from_redis(wired: tuple[Services, httpx.AsyncClient]) -> None:
    services, wx = wired
    record = ApplicationRecord.new(kind="application", user_key="u", township_code="530428001",
                                   payload={"schema_version": "application-v1"})
    await Outbox(services.redis, services.sealer, 3600).enqueue(record)
    assert value(await scrape(wx), "bot_outbox_backlog") == 1


async def test_redis_errors_are_counted() -> None:
    from tests.test_storage import closed_port_url

    services = build_services(make_settings(redis_timeout=0.2), redis=connect(closed_port_url(), 0.2),
                              knowledge=KB)
    async with client_for(services) as wx:
        before = await scrape(wx)
        await post(wx, text_xml("低保怎么申请", msg_id="5101"))
        after = await scrape(wx)
    assert total(after, "bot_redis_errors_total") > total(before, "bot_redis_errors_total")
    assert ("bot_outbox_backlog", ()) not in after  # unknown, not a made-up zero


def request(settings: Settings, client: str, headers: dict[str, str] | None = None) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(services=SimpleNamespace(settings=settings)))
    scope = {"type": "http", "method": "GET", "path": "/metrics", "app": app, "client": (client, 40000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    return Request(scope)


def test_production_metrics_need_an_internal_address_or_the_token() -> None:
    production = Settings(_env_file=None, app_env="production", metrics_token=TOKEN,
                          metrics_allow="127.0.0.1/32,10.8.0.0/16")
    assert allowed(request(production, "127.0.0.1"))
    assert allowed(request(production, "10.8.3.4"))  # the monitoring network
    assert not allowed(request(production, "203.0.113.9"))
    # Through nginx on loopback: a proxied request is never "internal", whoever it claims to be.
    assert not allowed(request(production, "127.0.0.1", {"X-Forwarded-For": "127.0.0.1"}))
    assert not allowed(request(production, "127.0.0.1", {"X-Real-IP": "10.8.3.4"}))
    assert allowed(request(production, "203.0.113.9", {"Authorization": f"Bearer {TOKEN}"}))
    assert not allowed(request(production, "203.0.113.9", {"Authorization": "Bearer wrong"}))
    no_token = Settings(_env_file=None, app_env="production", metrics_allow="127.0.0.1/32")
    assert not allowed(request(no_token, "203.0.113.9", {"Authorization": "Bearer "}))
    assert allowed(request(Settings(_env_file=None), "203.0.113.9"))  # development: open


def test_metrics_settings_are_checked() -> None:
    assert any("METRICS_ALLOW" in e for e in Settings(_env_file=None, metrics_allow="intranet").errors())
    assert any("METRICS_TOKEN" in e for e in Settings(_env_file=None, metrics_token="short").errors())


def test_two_workers_add_up(process_redis_url: str, tmp_path: Path) -> None:
    """prometheus-client's multi-process mode: either worker's /metrics counts both."""
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    with running(process_redis_url, env, env) as servers:
        for n, server in enumerate(servers):
            params = signed(openid=f"oMetrics{n}")
            reply = httpx.post(server.url + "/wechat", params=params, timeout=10,
                               content=text_xml("低保怎么申请", msg_id=str(6000 + n), user=f"oMetrics{n}"))
            assert reply.status_code == 200
        deadline = time.monotonic() + 10
        while True:
            found = [samples(httpx.get(s.url + "/metrics", timeout=10).text) for s in servers]
            if all(value(f, "bot_messages_total", kind="text") == 2 for f in found):
                break
            assert time.monotonic() < deadline, found
            time.sleep(0.2)
        assert all(value(f, "bot_webhook_seconds_count") == 2 for f in found)
