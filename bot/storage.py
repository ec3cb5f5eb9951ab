"""Redis connections with timeouts tight enough for WeChat's 5 s window, and the embedded default.

redis-py's defaults (5 s socket timeout, several retries) take seconds to fail when Redis is down
or hung; the webhook must still answer at once then, so every client here gives up after about
`REDIS_TIMEOUT` × 2 (0.6 s by default). With no `REDIS_URL` the service starts an in-process
fakeredis TCP server and talks to it through the very same client code, so development and tests
exercise the real path.
`connect_sync` gives the same limits to the one blocking client: wechatpy's, which keeps the
shared access_token and runs in worker threads, never on the event loop. Command-line tools that
read what the server stored (`knowledge misses`, `safety counts`) open it with `server_redis`.
Every store sends its calls through `guarded`, so a Redis failure reaches callers as one error.
A lease held while work runs (a message's claim, a place in a turn queue) is kept alive by a
`Renewal`.

`REDIS_URL` names one server (`redis://`, `rediss://`, `unix://`), a Sentinel-managed primary
(`redis+sentinel://[:password@]host:port[,host:port…]/<service>[/<db>]`: the sentinels are asked
for the primary, and again after a failover) or a Redis Cluster
(`redis+cluster://[:password@]host:port[,host:port…]`: any reachable nodes; the client learns the
rest). These are the URL forms the `limits` library uses too. On a cluster every key that a
transaction, pipeline or script touches together carries the same hash tag (`tag`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import unquote

import redis
import redis.asyncio as aioredis
import redis.asyncio.retry
import redis.exceptions
import redis.retry
from redis.asyncio.cluster import ClusterNode as AsyncClusterNode
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.asyncio.sentinel import Sentinel as AsyncSentinel
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.exceptions import RedisError
from redis.sentinel import Sentinel

from bot.errors import ConfigError, StorageUnavailable
from bot.metrics import REDIS_ERRORS

if TYPE_CHECKING:
    from bot.settings import Settings

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


@dataclass(frozen=True)
class Topology:
    """What a `redis+sentinel://` or `redis+cluster://` URL names (see the module docstring)."""

    kind: str  # "sentinel" or "cluster"
    nodes: list[tuple[str, int]]
    password: str | None = None
    service: str = ""  # the Sentinel service name of the primary
    db: int = 0

    @classmethod
    def parse(cls, url: str) -> Topology | None:
        """None for a plain server URL; ConfigError naming the problem (never the password)."""
        scheme, _, rest = url.partition("://")
        if scheme not in ("redis+sentinel", "redis+cluster"):
            return None
        auth, _, rest = rest.rpartition("@")
        hosts, _, path = rest.partition("/")
        try:
            nodes = [(host, int(port)) for host, _, port in
                     (item.strip().rpartition(":") for item in hosts.split(",") if item.strip())]
        except ValueError:
            nodes = []
        if not nodes or any(not host for host, _ in nodes):
            raise ConfigError(f"REDIS_URL ({scheme}) needs host:port[,host:port…]")
        password = unquote(auth.partition(":")[2]) or None if auth else None
        if scheme == "redis+cluster":
            return cls("cluster", nodes, password)
        service, _, db = path.partition("/")
        if not service or (db and not db.isdigit()):
            raise ConfigError("REDIS_URL (redis+sentinel) needs /<service name>[/<db>] after the sentinels")
        return cls("sentinel", nodes, password, service, int(db or 0))


def tag(value: str) -> str:
    """`{value}`, a hash tag: on a Redis Cluster, keys whose tags are equal share one slot, so a
    transaction or a script may use them together (e.g. every key of one resident)."""
    return "{" + value + "}"


def connect(url: str | None, timeout: float) -> aioredis.Redis:
    """A client that fails fast: one retry, no backoff, `timeout` for connect and for each reply."""
    return cast(aioredis.Redis, _client(url, timeout, blocking=False))


def connect_sync(url: str | None, timeout: float) -> redis.Redis:
    """The blocking twin of `connect`, same server and limits, for code that runs in a thread."""
    return cast(redis.Redis, _client(url, timeout, blocking=True))


# (client, sentinel, cluster, cluster node, retry) classes: asynchronous, then blocking.
_CLASSES: dict[bool, tuple[Any, Any, Any, Any, Any]] = {
    False: (aioredis.Redis, AsyncSentinel, AsyncRedisCluster, AsyncClusterNode, redis.asyncio.retry.Retry),
    True: (redis.Redis, Sentinel, RedisCluster, ClusterNode, redis.retry.Retry),
}


def _client(url: str | None, timeout: float, blocking: bool) -> Any:
    """RedisCluster is not a subclass of Redis but speaks every command the stores use."""
    client, sentinel_class, cluster, node, retry_class = _CLASSES[blocking]
    url = url or embedded_redis_url()
    retry = retry_class(NoBackoff(), 1)
    topology = Topology.parse(url)
    if topology is None:  # `unix://` and `rediss://` keep their own connection classes
        plain = {} if blocking else {"connection_class": TimedWrites}
        return client.from_url(url, retry=retry, **plain, **_limits(timeout))
    if topology.kind == "sentinel":
        sentinel = sentinel_class(topology.nodes, sentinel_kwargs=_sentinel_limits(timeout))
        return sentinel.master_for(topology.service, retry=retry, password=topology.password,
                                   db=topology.db, **_limits(timeout))
    return cluster(startup_nodes=[node(host, port) for host, port in topology.nodes],
                   password=topology.password, retry=retry, **_limits(timeout))


class TimedWrites(aioredis.Connection):
    """redis-py times every write with `asyncio.wait_for`, which on Python 3.11 runs the write as
    a task of its own: about a third of the client's CPU per command (tens of µs; measured in
    the load benchmark's profile). The same limit here is a timer around redis-py's untimed
    write path; replies are read under `socket_timeout` as before."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        limit = self.socket_timeout
        if not limit:
            return await super().send_packed_command(command, check_health)
        try:
            async with asyncio.timeout(limit):
                self.socket_timeout = None  # redis-py's own branch for "no limit": write, drain
                try:
                    await super().send_packed_command(command, check_health)
                finally:
                    self.socket_timeout = limit
        except TimeoutError:  # redis-py has dropped the connection (a half-sent command)
            raise redis.exceptions.TimeoutError("Timeout writing to socket") from None


def _sentinel_limits(timeout: float) -> dict[str, Any]:
    """For the sentinels themselves: the same timeouts, no password (it is the data servers')."""
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout}


@asynccontextmanager
async def server_redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    """The running server's Redis for a command-line tool, closed on exit; ConfigError without
    REDIS_URL, since an embedded store lives inside its server's process and cannot be reached."""
    if not settings.redis_url:
        raise ConfigError("REDIS_URL is not set: the embedded store lives inside the server process")
    client = connect(settings.redis_url, settings.redis_timeout)
    try:
        yield client
    finally:
        await client.aclose()


def _limits(timeout: float) -> dict[str, Any]:
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout, "health_check_interval": 0,
            "decode_responses": False}


async def guarded(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Redis operation, turning every Redis or socket failure into StorageUnavailable."""
    try:
        return await call()
    except (RedisError, OSError, TimeoutError) as exc:
        REDIS_ERRORS.labels(type(exc).__name__).inc()
        raise StorageUnavailable(type(exc).__name__) from exc


async def ping(client: aioredis.Redis) -> bool:
    try:
        return bool(await guarded(client.ping))
    except StorageUnavailable:
        return False


class Renewal:
    """Runs the Redis call `renew` (guarded) every `period` seconds until `cancel`, the first time
    one period from now. Most leases end before that: a timer costs the event loop far less than a
    task started and cancelled for every message. Failures are left to the lease, which lapses."""

    def __init__(self, period: float, renew: Callable[[], Awaitable[object]]) -> None:
        self._period = period
        self._renew = renew
        self._task: asyncio.Task[None] | None = None
        self._timer = asyncio.get_running_loop().call_later(period, self._start)

    def _start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        with contextlib.suppress(Exception):
            while True:
                await guarded(self._renew)
                await asyncio.sleep(self._period)

    def cancel(self) -> None:
        self._timer.cancel()
        if self._task is not None:
            self._task.cancel()
