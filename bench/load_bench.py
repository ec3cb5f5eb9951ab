"""Load benchmark: the real webhook in safe mode under many residents, against a bare baseline.

Starts, on loopback ports from `--port` on, the baseline (`bench/load/echo_server.py`: FastAPI +
wechatpy verifying, decrypting, parsing, echoing and encrypting, with `server.py`'s uvicorn
options) and `python server.py` on REDIS_URL, then in one run:

1. conversations: every persona of the dialogue development set at once, each a whole
   self-screening questionnaire then an application, replies read and decrypted (Python client;
   its CPU share of generator + server is printed); then Redis bytes per active session (every
   key) and per idle one (keys that outlive the de-dup window: what stays while a resident is away);
2. closed loop: `wrk` (1 thread, `--connections`) over pre-signed requests (policy questions,
   voice, menu clicks, 5 % retries of an earlier MsgId), baseline then ours, `--rounds` times;
   throughput, p50/p95/p99, errors, and ours as a ratio of the baseline's;
3. fixed rate: `--rate` messages/s offered to each (latency counted from when a request was due);
4. two workers: `python server.py --workers 2` under the same closed loop, as a ratio of one;
and the peak RSS of every serving process. Each closed loop of ours also prints where the machine's
CPU went while it ran: the server (per worker), `wrk`, Redis, and everything else on the machine.
Servers are measured once `/readyz` says their models are trained (`bench/load/processes.py`).
The machine is shared: read the ratios, not the absolute figures. Needs `wrk` (`apt-get install
wrk`) and a real Redis whose database it empties.

    REDIS_URL=redis://127.0.0.1:6379/9 PYTHONPATH=. python bench/load_bench.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.load import client, traffic
from bench.load.processes import (
    ROOT,
    Process,
    machine_cpu_seconds,
    redis_bytes,
    redis_cpu_seconds,
    start_bot,
    start_echo,
)
from bot.services import contact_details
from bot.settings import Settings
from bot.templates import Templates

RESIDENTS = 2000  # distinct openids in the closed loop


def wrk(target: Process, requests: Path, seconds: float, connections: int) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s",
                          "-s", str(ROOT / "bench/load/presigned.lua"), f"http://127.0.0.1:{target.port}",
                          "--", str(requests)], capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk is the only child reaped meanwhile
    found = re.search(r"RESULT (.*)", out)
    if not found:
        raise SystemExit("wrk printed no RESULT line:\n" + out)
    result = {k: float(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["wrk_cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result


def closed_loop(target: Process, seconds: float, connections: int, first_id: int,
                tmp: Path, db: redis.Redis) -> dict[str, float]:
    path = tmp / f"requests-{first_id}.txt"
    traffic.write_requests(traffic.closed_loop(int(seconds * 1500) + 500, first_id, RESIDENTS), path)
    workers = target.workers()
    cpu, each = target.cpu_seconds(), [Process.pid_cpu_seconds(pid) for pid in workers]
    redis_cpu, machine = redis_cpu_seconds(db), machine_cpu_seconds()
    result = wrk(target, path, seconds, connections)
    server = target.cpu_seconds() - cpu
    result["cpu_ms"] = server * 1000 / max(1.0, result["requests"])
    result["server_cpu"] = server
    result["redis_cpu"] = redis_cpu_seconds(db) - redis_cpu
    result["machine_cpu"] = machine_cpu_seconds() - machine
    result["workers_cpu"] = [Process.pid_cpu_seconds(pid) - c for pid, c in zip(workers, each, strict=True)]
    return result


def show_cpu(r: dict[str, float]) -> str:
    """Where the machine's CPU went during one closed loop, in cores (CPU seconds per second)."""
    wall = r["duration_us"] / 1e6
    rest = r["machine_cpu"] - r["server_cpu"] - r["wrk_cpu"] - r["redis_cpu"]
    workers = " + ".join(f"{c / wall:.2f}" for c in r["workers_cpu"])
    return (f"  CPU in cores over the run ({os.cpu_count()} on the machine): "
            f"server {r['server_cpu'] / wall:.2f} "
            f"(workers {workers}), wrk {r['wrk_cpu'] / wall:.2f}, Redis {r['redis_cpu'] / wall:.2f}, "
            f"everything else {max(0.0, rest) / wall:.2f}")


def show_wrk(label: str, r: dict[str, float]) -> str:
    return (f"{label}: {r['rate']:.0f} msg/s, p50 {r['p50_us'] / 1000:.1f} ms, "
            f"p95 {r['p95_us'] / 1000:.1f} ms, p99 {r['p99_us'] / 1000:.1f} ms, errors {r['errors']:.0f}, "
            f"server CPU {r['cpu_ms']:.2f} ms/msg")


def show_tally(label: str, t: client.Tally) -> str:
    lat = t.latencies
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(t.outcomes.items()))
    return (f"{label}: {len(lat) / t.seconds:.0f} msg/s, p50 {statistics.median(lat) * 1000:.1f} ms, "
            f"p95 {client.percentile(lat, 0.95) * 1000:.1f} ms, "
            f"p99 {client.percentile(lat, 0.99) * 1000:.1f} ms; "
            f"{kinds}")


def busy_texts() -> dict[str, str]:
    templates = Templates({"contact": contact_details(Settings(_env_file=None))})
    return {"busy (shed)": templates.render("chat/overloaded.txt").strip(),
            "busy (storage)": templates.render("chat/busy.txt").split("\n")[0].strip(),
            "processing": templates.render("chat/processing.txt").strip()}


def conversations(bot: Process, db: redis.Redis) -> None:
    scripts = traffic.conversations()
    cpu = bot.cpu_seconds()
    tally = asyncio.run(client.converse(bot.port, scripts, 7_000_000_000 + int(time.time()) % 10**6 * 100_000,
                                        busy_texts()))
    server_cpu = bot.cpu_seconds() - cpu
    label = f"conversations ({len(scripts)} residents at once, {len(tally.latencies)} messages)"
    print(show_tally(label, tally))
    share = tally.cpu_seconds / (tally.cpu_seconds + server_cpu)
    print(f"  generator CPU {tally.cpu_seconds:.1f} s against the server's {server_cpu:.1f} s: "
          f"{share:.0%} of the two")
    window = Settings(_env_file=None).replay_ttl
    keys, active = redis_bytes(db, residents=True)
    idle_keys, idle = redis_bytes(db, longer_than=window + 60, residents=True)
    shared_keys, shared = redis_bytes(db, residents=False)
    n = len(scripts)
    print(f"  Redis per active session: {active / n / 1024:.1f} KB ({keys / n:.0f} keys); "
          f"per idle session (keys outliving the {window} s de-dup window): "
          f"{idle / n / 1024:.1f} KB ({idle_keys / n:.1f} keys); shared by all residents "
          f"(de-dup of untagged messages, miss log, counts): {shared / 1024:.0f} KB ({shared_keys} keys)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="length of each closed-loop and fixed-rate run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--port", type=int, default=7200, help="first of the three ports used")
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL")
    if not url or not shutil.which("wrk"):
        print("load_bench: skipped, needs REDIS_URL (a database it may empty) and wrk (apt-get install wrk)")
        return
    db = redis.Redis.from_url(url)
    db.flushdb()
    echo, bot = start_echo(args.port + 1), start_bot(url, args.port + 2)
    print(f"load: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start "
          f"(a shared machine: read the ratios), python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="load-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            conversations(bot, db)
            base = int(time.time()) % 10**6 * 10**6
            for target in (echo, bot):  # warm-up: first requests load caches
                closed_loop(target, 2, args.connections, base, tmp, db)
            ours_rates = []
            for n in range(args.rounds):
                first = base + (2 * n + 1) * 10**5
                baseline = closed_loop(echo, args.seconds, args.connections, first, tmp, db)
                ours = closed_loop(bot, args.seconds, args.connections, first + 10**5, tmp, db)
                ours_rates.append(ours["rate"])
                print(show_wrk(f"closed loop, {args.connections} connections, baseline", baseline))
                print(show_wrk("closed loop, ours (1 worker)", ours) +
                      f"; ratio to baseline {ours['rate'] / baseline['rate']:.2f} "
                      f"(CPU per message: {baseline['cpu_ms'] / ours['cpu_ms']:.2f})")
                print(show_cpu(ours))
            count = int(args.rate * args.seconds)
            for label, target, first in (("baseline", echo, 8 * 10**5), ("ours", bot, 9 * 10**5)):
                requests = traffic.closed_loop(count, base + first, RESIDENTS, seed=2)
                tally = asyncio.run(client.fixed_rate(target.port, requests, args.rate))
                print(show_tally(f"fixed {args.rate:.0f} msg/s offered, {label}", tally))
            print(f"peak RSS: ours {max(bot.peak_rss_mb()):.0f} MB, "
                  f"baseline {max(echo.peak_rss_mb()):.0f} MB")
        finally:
            echo.stop()
            bot.stop()
        two = start_bot(url, args.port + 3, workers=2)
        try:
            closed_loop(two, 2, args.connections, base + 5 * 10**5, tmp, db)
            pair = closed_loop(two, args.seconds, args.connections, base + 6 * 10**5, tmp, db)
            print(show_wrk("closed loop, ours (2 workers)", pair) +
                  f"; {pair['rate'] / statistics.mean(ours_rates):.2f} × one worker")
            print(show_cpu(pair))
            print("peak RSS per worker (2 workers): " + ", ".join(f"{mb:.0f} MB" for mb in two.peak_rss_mb()))
        finally:
            two.stop()


if __name__ == "__main__":
    main()
