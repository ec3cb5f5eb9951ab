"""Servers the benchmarks start, and what they read of them: CPU time, peak RSS, Redis memory.

CPU and peak memory come from /proc (Linux): a server started with `--workers N` is a supervisor
whose children do the work, so both are summed (CPU) or listed (RSS) over the whole tree.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import redis

from bench.load.traffic import AES_KEY, APPID, TOKEN

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Process:
    def __init__(self, args: list[str], port: int, env: dict[str, str]) -> None:
        self.port = port
        self.proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**os.environ, **env},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"{args[0]} did not start on port {port}")

    def tree(self) -> list[int]:
        pids, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            with contextlib.suppress(OSError):
                todo += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return pids

    def workers(self) -> list[int]:
        """The processes that serve: the children of a supervisor, else the process itself."""
        pids = self.tree()
        helpers = [pid for pid in pids[1:] if b"resource_tracker" in _cmdline(pid)]
        return [pid for pid in pids[1:] if pid not in helpers] or pids[:1]

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def peak_rss_mb(self) -> list[float]:
        """VmHWM of each serving process, in MB."""
        peaks = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
            peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_bot(redis_url: str, port: int, workers: int = 1, **env: str) -> Process:
    """`python server.py` in safe mode, with the message limit set out of the benchmark's reach."""
    full = {"APP_ENV": "test", "REDIS_URL": redis_url, "PORT": str(port), "WECHAT_TOKEN": TOKEN,
            "WECHAT_AES_KEY": AES_KEY, "WECHAT_APPID": APPID, "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_MESSAGES": "1000000/minute", **env}
    args = ["server.py"] + (["--workers", str(workers)] if workers > 1 else [])
    return Process(args, port, full)


def start_echo(port: int) -> Process:
    return Process(["bench/load/echo_server.py"], port, {"PORT": str(port), "PYTHONPATH": str(ROOT)})


def redis_bytes(client: redis.Redis, longer_than: int = -2) -> tuple[int, int]:
    """(keys, bytes by MEMORY USAGE) of the keys in the client's database whose TTL exceeds
    `longer_than` seconds (-1 = no TTL counts as longest; the default counts every key)."""
    keys = total = 0
    for key in client.scan_iter(count=1000):
        ttl = client.ttl(key)
        if ttl != -1 and ttl <= longer_than:
            continue
        keys += 1
        total += client.memory_usage(key, samples=0) or 0
    return keys, total
