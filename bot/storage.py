"""Redis connections with timeouts tight enough for WeChat's 5 s window, and the embedded default.

redis-py's defaults (5 s socket timeout, several retries) take seconds to fail when Redis is down
or hung; the webhook must still answer at once then, so every client here gives up after about
`REDIS_TIMEOUT` × 2 (0.6 s by default). With no `REDIS_URL` the service starts an in-process
fakeredis TCP server and talks to it through the very same client code, so development and tests
exercise the real path.
`connect_sync` gives the same limits to the one blocking client: wechatpy's, which keeps the
shared access_token and runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis
import redis.asyncio as aioredis
import redis.asyncio.retry
import redis.retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from bot.errors import StorageUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
# redis-py types replies for either `decode_responses`; these clients never decode, so a stream's
# entries are (id, fields) in bytes.
StreamEntries = list[tuple[bytes, dict[bytes, bytes]]]

_embedded_url: str | None = None
_embedded_lock = threading.Lock()


def embedded_redis_url() -> str:
    """Start (once per process) an in-memory Redis-compatible server on a free loopback port."""
    global _embedded_url
    with _embedded_lock:
        if _embedded_url is None:
            from fakeredis import TcpFakeServer

            server = TcpFakeServer(("127.0.0.1", 0), server_type="redis")
            threading.Thread(target=server.serve_forever, name="embedded-redis", daemon=True).start()
            host, port = server.socket.getsockname()[:2]
            _embedded_url = f"redis://{host}:{port}/0"
            log.warning(
                "No REDIS_URL: using an embedded in-memory Redis; all state is lost at exit."
            )
        return _embedded_url


def connect(url: str | None, timeout: float) -> aioredis.Redis:
    """A client that fails fast: one retry, no backoff, `timeout` for connect and for each reply."""
    return aioredis.Redis.from_url(
        url or embedded_redis_url(), retry=redis.asyncio.retry.Retry(NoBackoff(), 1), **_limits(timeout)
    )


def connect_sync(url: str | None, timeout: float) -> redis.Redis:
    """The blocking twin of `connect`, same server and limits, for code that runs in a thread."""
    return redis.Redis.from_url(url or embedded_redis_url(), retry=redis.retry.Retry(NoBackoff(), 1),
                                **_limits(timeout))


def _limits(timeout: float) -> dict[str, Any]:
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout, "health_check_interval": 0,
            "decode_responses": False}


async def guarded(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Redis operation, turning every Redis or socket failure into StorageUnavailable."""
    try:
        return await call()
    except (RedisError, OSError, TimeoutError) as exc:
        raise StorageUnavailable(type(exc).__name__) from exc


async def ping(client: aioredis.Redis) -> bool:
    try:
        return bool(await guarded(client.ping))
    except StorageUnavailable:
        return False
