import socket

import pytest

from bot.errors import ConfigError, StorageUnavailable
from bot.settings import Settings
from bot.storage import connect, connect_sync, embedded_redis_url, guarded, ping, server_redis


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


async def test_refused_connection_becomes_storage_unavailable() -> None:
    client = connect(closed_port_url(), timeout=0.3)
    with pytest.raises(StorageUnavailable) as info:
        await guarded(lambda: client.get("k"))
    assert "ConnectionError" in str(info.value)
    assert await ping(client) is False
    await client.aclose()


async def test_embedded_server_speaks_redis() -> None:
    url = embedded_redis_url()
    assert url == embedded_redis_url()  # one per process
    client = connect(url, timeout=0.3)
    await client.set("embedded-test", "1", ex=5)
    assert await client.get("embedded-test") == b"1"
    await client.xadd("embedded-stream", {"a": "1"})
    assert await ping(client) is True
    await client.aclose()


def test_the_blocking_client_has_the_same_server_and_limits(redis_base_url: str) -> None:
    url = f"{redis_base_url}/15"
    blocking, asynchronous = connect_sync(url, 0.3), connect(url, 0.3)
    limits = ("host", "port", "db", "socket_timeout", "socket_connect_timeout")
    sync_kwargs = blocking.connection_pool.connection_kwargs
    async_kwargs = asynchronous.connection_pool.connection_kwargs
    assert {k: sync_kwargs[k] for k in limits} == {k: async_kwargs[k] for k in limits}
    assert sync_kwargs["socket_timeout"] == 0.3
    assert blocking.ping()
    blocking.close()


async def test_command_line_tools_reach_the_servers_redis_only(redis_base_url: str) -> None:
    with pytest.raises(ConfigError, match="REDIS_URL"):  # an embedded store would be empty here
        async with server_redis(Settings(_env_file=None, redis_url=None)):
            pass
    settings = Settings(_env_file=None, redis_url=f"{redis_base_url}/15", redis_timeout=0.4)
    async with server_redis(settings) as client:
        assert await ping(client)
        assert client.connection_pool.connection_kwargs["socket_timeout"] == 0.4
