"""Fixtures for the hand-off tests: the suite's Redis, services with the application store, and a
fake county intake server on loopback that checks signatures and de-duplicates by Idempotency-Key."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.application.model import ApplicationRecord, Status
from bot.services import Services, build_services
from bot.settings import Settings

INTAKE_SECRET = "intake-test-secret"


@dataclass
class FakeIntake:
    """The county's receiver: 401 on a bad signature, one application per Idempotency-Key."""

    secret: str
    url: str = ""
    created: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts: list[tuple[str, int]] = field(default_factory=list)  # (key, status answered)
    fail: dict[str, list[int]] = field(default_factory=dict)  # key -> statuses to answer first
    always: dict[str, int] = field(default_factory=dict)  # key -> status answered every time
    hang_after_accept: float = 0.0  # accept, then wait this long before answering
    accepted: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        key = headers.get("Idempotency-Key", "")
        with self.lock:
            if not hmac.compare_digest(headers.get("X-Signature", ""), expected):
                status, reply = 401, {"error": "bad signature"}
            elif not key:
                status, reply = 400, {"error": "no idempotency key"}
            elif key in self.always:
                status, reply = self.always[key], {"error": "poison"}
            elif self.fail.get(key):
                status, reply = self.fail[key].pop(0), {"error": "transient"}
            elif key in self.created:
                status, reply = 200, {"status": "duplicate"}
            else:
                self.created[key] = json.loads(body)
                status, reply = 201, {"status": "created"}
            self.posts.append((key, status))
        return status, reply

    def posts_for(self, key: str) -> list[int]:
        return [status for k, status in self.posts if k == key]


@pytest.fixture
def intake() -> Iterator[FakeIntake]:
    fake = FakeIntake(INTAKE_SECRET)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status, reply = fake.answer(self.headers, body)
            if status == 201 and fake.hang_after_accept:
                fake.accepted.set()
                time.sleep(fake.hang_after_accept)
            data = json.dumps(reply).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the worker went away meanwhile

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/intake"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def handoff_services(redis_client: aioredis.Redis, intake: FakeIntake) -> Services:
    settings = Settings(app_env="test", handoff="http", intake_url=intake.url, intake_secret=INTAKE_SECRET,
                        _env_file=None)
    services = build_services(settings, redis=redis_client)
    return services


PERSON = {"name": "李秀英", "id_number": "53042819500101002X", "phone": "13912345678"}


@pytest.fixture
def make_record(handoff_services: Services) -> Callable[..., Awaitable[ApplicationRecord]]:
    """Save and return a DRAFT application of `user` (personal data as in PERSON)."""

    async def make(user: str = "openid-resident-1", township: str = "530428001") -> ApplicationRecord:
        payload = {"schema_version": "application-v1", "kind": "application",
                   "applicant": dict(PERSON), "where": {"township_code": township, "village": "大水平村"}}
        record = ApplicationRecord.new("application", handoff_services.sealer.pseudonym(user), township,
                                       payload, status=Status.DRAFT)
        await handoff_services.applications.save(record)
        return record

    return make


@pytest.fixture
def person() -> dict[str, str]:
    return dict(PERSON)
