"""Shared test fixtures: a real Redis wherever one can be had, and services built on it.

Order of preference: `REDIS_URL`; a server on 127.0.0.1:6379; a throwaway `redis-server` started
here on a free port. With none of these the tests fall back to the embedded fakeredis server and
say so loudly; `REQUIRE_REDIS=1` (CI) turns that fallback into a failure.

One way to Redis for the whole suite: `redis_url`, the suite's one database, and `redis_client`, a
client of it that empties it before and after the test. Code that connects by itself (server
processes, command-line tools, blocking clients) gets `redis_url`, with `redis_client` beside it
where the test needs the database empty. Tests run one at a time, so one database is enough; no
test picks a database number of its own.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import redis
import redis.asyncio as aioredis

from bot.services import Services, build_services
from bot.settings import Settings
from bot.storage import embedded_redis_url
from tests.servers import Server, running

TEST_DB = 1


def _reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_base_url() -> Iterator[str]:
    """`redis://host:port` of the Redis the suite uses (no database number)."""
    candidates = [os.environ.get("REDIS_URL", ""), "redis://127.0.0.1:6379"]
    for url in filter(None, candidates):
        if _reachable(url):
            yield url.rsplit("/", 1)[0] if url.count("/") > 2 else url
            return
    binary = shutil.which("redis-server")
    if binary:
        port = _free_port()
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no"], stdout=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}"
        for _ in range(50):
            if _reachable(url):
                break
            time.sleep(0.1)
        yield url
        proc.terminate()
        proc.wait(timeout=5)
        return
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail("REQUIRE_REDIS=1 but no Redis server is reachable and redis-server is missing")
    print("\n!!! NO REDIS SERVER: tests run on the embedded fakeredis server instead !!!\n",
          file=sys.stderr)
    yield embedded_redis_url().rsplit("/", 1)[0]


@pytest.fixture(scope="session")
def redis_url(redis_base_url: str) -> str:
    """The suite's database."""
    return f"{redis_base_url}/{TEST_DB}"


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A client of the suite's database, emptied before and after the test."""
    client = aioredis.Redis.from_url(redis_url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()


@pytest.fixture
def settings() -> Settings:
    return Settings(app_env="test", _env_file=None)


@pytest.fixture
def services(settings: Settings, redis_client: aioredis.Redis) -> Services:
    from bot.knowledge import KnowledgeBase

    return build_services(settings, redis=redis_client, knowledge=KnowledgeBase.from_directory())


@pytest.fixture
def redis_commands(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], list[tuple[object, ...]]]:
    """Call it to start recording the commands `services` sends to Redis; it returns the list
    they are appended to (round trips are what a webhook turn costs)."""

    def start() -> list[tuple[object, ...]]:
        sent: list[tuple[object, ...]] = []
        execute = services.redis.execute_command

        async def counting(*args: object, **options: object) -> object:
            sent.append(args)
            return await execute(*args, **options)

        monkeypatch.setattr(services.redis, "execute_command", counting)
        return sent

    return start


@pytest.fixture(scope="module")
def worker_pair(redis_url: str) -> Iterator[list[Server]]:
    """Two real worker processes on the suite's database, shared by one test module (see
    tests/servers.py); texts starting with 慢 take a second in their `tally` flow. Use with
    `redis_client`, which empties the database around each test."""
    slow = {"SLOW_SECONDS": "1.0"}
    with running(redis_url, slow, slow) as servers:
        yield servers
