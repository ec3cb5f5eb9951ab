"""How `REDIS_URL` names a Sentinel-managed primary or a cluster (`bot.storage.Topology`)."""

from __future__ import annotations

import pytest

from bot.errors import ConfigError
from bot.storage import Topology, tag


def test_plain_urls_name_one_server() -> None:
    for url in ("redis://127.0.0.1:6379/0", "rediss://cache.internal:6380/2", "unix:///run/redis.sock"):
        assert Topology.parse(url) is None


def test_sentinel_url() -> None:
    topology = Topology.parse("redis+sentinel://:s%40cret@10.0.0.1:26379, 10.0.0.2:26379/residents/3")
    assert topology == Topology("sentinel", [("10.0.0.1", 26379), ("10.0.0.2", 26379)], "s@cret",
                                "residents", 3)


def test_cluster_url() -> None:
    assert Topology.parse("redis+cluster://10.0.0.1:7000,10.0.0.2:7000") == Topology(
        "cluster", [("10.0.0.1", 7000), ("10.0.0.2", 7000)])


@pytest.mark.parametrize("url", ["redis+sentinel://10.0.0.1:26379", "redis+sentinel://10.0.0.1/residents",
                                 "redis+cluster://", "redis+cluster://10.0.0.1:port",
                                 "redis+sentinel://:pw@10.0.0.1:26379/residents/x"])
def test_malformed_urls_are_refused_without_the_password(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Topology.parse(url)
    assert "pw" not in str(refused.value)


def test_tag_is_a_hash_tag() -> None:
    from redis.cluster import key_slot

    assert key_slot(f"sess:{tag('abc')}".encode()) == key_slot(f"turn:{tag('abc')}:alive:1".encode())


def test_settings_refuse_a_malformed_topology_at_boot() -> None:
    from bot.settings import Settings

    errors = Settings(_env_file=None, redis_url="redis+sentinel://:pw@10.0.0.1:26379").errors()
    assert any("redis+sentinel" in error for error in errors) and not any("pw" in e for e in errors)
