"""Throwaway Redis topologies on loopback for the Sentinel and Cluster tests: real `redis-server`
processes (a primary, a replica and three sentinels; or three cluster primaries), each in its own
temporary directory, stopped and removed afterwards even when a test fails.

Ports come from `TOPOLOGY_PORTS` (`first-last`, default 7300-7399); a port in use is skipped. Without
`redis-server` the tests are skipped, unless `REQUIRE_REDIS=1` (CI), which makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

SERVICE = "residents"  # the Sentinel service name of the primary


def redis_binaries() -> tuple[str, str]:
    server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
    if server and cli:
        return server, cli
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail("REQUIRE_REDIS=1 but redis-server or redis-cli is missing")
    pytest.skip("redis-server and redis-cli are needed for Sentinel and Cluster tests")


def _ports(count: int) -> list[int]:
    first, _, last = os.environ.get("TOPOLOGY_PORTS", "7300-7399").partition("-")
    found: list[int] = []
    for port in range(int(first), int(last) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in TOPOLOGY_PORTS")


def wait_until(check: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        try:
            if check():
                return
        except (redis.RedisError, OSError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def client(port: int) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2, socket_connect_timeout=2)


@dataclass
class Process:
    port: int
    proc: subprocess.Popen[bytes]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


@contextmanager
def _process(args: list[str], port: int, directory: Path) -> Iterator[Process]:
    log = (directory / "redis.log").open("wb")
    proc = subprocess.Popen(args, cwd=directory, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    process = Process(port, proc)
    try:
        wait_until(lambda: proc.poll() is None and bool(client(port).ping()), what=f"redis on {port}")
        yield process
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _server_args(binary: str, port: int, *extra: str) -> list[str]:
    return [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            *extra]


@dataclass
class SentinelGroup:
    primary: Process
    replica: Process
    sentinels: list[Process]

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://{hosts}/{SERVICE}/0"

    def primary_port(self) -> int:
        _, port = client(self.sentinels[0].port).sentinel_get_master_addr_by_name(SERVICE)
        return int(port)


@contextmanager
def sentinel_group() -> Iterator[SentinelGroup]:
    """A primary, one replica and three sentinels (quorum 2) that fail over within seconds."""
    server, _ = redis_binaries()
    ports = _ports(5)
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sentinel-")))
        dirs = [root / str(port) for port in ports]
        for directory in dirs:
            directory.mkdir()
        primary = stack.enter_context(_process(_server_args(server, ports[0]), ports[0], dirs[0]))
        replica = stack.enter_context(_process(
            _server_args(server, ports[1], "--replicaof", "127.0.0.1", str(ports[0])), ports[1], dirs[1]))
        wait_until(lambda: client(ports[1]).info("replication")["master_link_status"] == "up",
                   what="the replica to sync")
        sentinels = []
        for port, directory in zip(ports[2:], dirs[2:], strict=True):
            (directory / "sentinel.conf").write_text(
                f"port {port}\nbind 127.0.0.1\n"
                f"sentinel monitor {SERVICE} 127.0.0.1 {ports[0]} 2\n"
                f"sentinel down-after-milliseconds {SERVICE} 1000\n"
                f"sentinel failover-timeout {SERVICE} 10000\n"
                f"sentinel parallel-syncs {SERVICE} 1\n")
            sentinels.append(stack.enter_context(
                _process([server, str(directory / "sentinel.conf"), "--sentinel"], port, directory)))
        group = SentinelGroup(primary, replica, sentinels)

        def ready() -> bool:
            info = client(sentinels[0].port).sentinel_master(SERVICE)
            return int(info["num-other-sentinels"]) == 2 and int(info["num-slaves"]) == 1

        wait_until(ready, what="the sentinels to see each other and the replica")
        yield group


@dataclass
class Cluster:
    nodes: list[Process]

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{n.port}" for n in self.nodes[:2])


@contextmanager
def cluster(primaries: int = 3) -> Iterator[Cluster]:
    """`primaries` cluster nodes, no replicas, every slot assigned (`redis-cli --cluster create`)."""
    server, cli = redis_binaries()
    ports = _ports(primaries)
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cluster-")))
        nodes = []
        for port in ports:
            directory = root / str(port)
            directory.mkdir()
            nodes.append(stack.enter_context(_process(_server_args(
                server, port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "3000"), port, directory)))
        subprocess.run([cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports),
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, capture_output=True,
                       timeout=60)
        for port in ports:
            wait_until(lambda port=port: b"cluster_state:ok" in client(port).execute_command(
                "CLUSTER", "INFO"), what=f"cluster node {port} to be ready")
        yield Cluster(nodes)
