"""Servers the benchmarks start, and what they read of them: CPU time, peak RSS, Redis memory.

CPU and peak memory come from /proc (Linux): a server started with `--workers N` is a supervisor
whose children do the work, so both are summed (CPU) or listed (RSS) over the whole tree. A bot is
measured only once it is ready: every worker trains its danger and intent models at start (tens of
CPU seconds, `/readyz` answers 503 meanwhile), and a run that overlapped the training measured it.
Every server starts in a session of its own (as `bot.workers` starts each worker): with Linux's
autogroup scheduling a session's processes share one session's CPU, so a server left in the
benchmark's session would share it with the load generators that drive it.
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
    def __init__(self, args: list[str], port: int, env: dict[str, str], ready: str = "/healthz",
                 confirmations: int = 1) -> None:
        """Start and wait until `ready` answers 200 `confirmations` times in a row, each on a new
        connection (with several workers on one socket, so that each of them is likely asked)."""
        self.port = port
        self.proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**os.environ, **env},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        in_a_row = 0
        for _ in range(3000):
            try:
                ok = httpx.get(f"http://127.0.0.1:{port}{ready}", timeout=1).status_code == 200
            except httpx.HTTPError:
                ok = False
            in_a_row = in_a_row + 1 if ok else 0
            if in_a_row >= confirmations:
                return
            time.sleep(0.02 if ok else 0.1)
        self.stop()
        raise SystemExit(f"{args[0]} was not ready on port {port}")

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
        return sum(self.pid_cpu_seconds(pid) for pid in self.tree())

    @staticmethod
    def pid_cpu_seconds(pid: int) -> float:
        """User + system CPU time of one process (0 once it is gone)."""
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime

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
    return Process(args, port, full, ready="/readyz", confirmations=20 * workers)


def start_echo(port: int) -> Process:
    return Process(["bench/load/echo_server.py"], port, {"PORT": str(port), "PYTHONPATH": str(ROOT)})


def redis_bytes(client: redis.Redis, longer_than: int = -2, residents: bool | None = None) -> tuple[int, int]:
    """(keys, bytes by MEMORY USAGE) of the keys in the client's database whose TTL exceeds
    `longer_than` seconds (-1 = no TTL counts as longest; the default counts every key). With
    `residents` True only a resident's own keys count (those carrying a hash tag, `{pseudonym}`),
    with False only the shared ones (the knowledge-miss log, danger counts: one per deployment)."""
    keys = total = 0
    for key in client.scan_iter(count=1000):
        if residents is not None and (b"{" in key) != residents:
            continue
        ttl = client.ttl(key)
        if ttl != -1 and ttl <= longer_than:
            continue
        keys += 1
        total += client.memory_usage(key, samples=0) or 0
    return keys, total


def redis_cpu_seconds(client: redis.Redis) -> float:
    """CPU time the Redis server has used since it started (user + system, every thread)."""
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine since boot, every core (from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS
