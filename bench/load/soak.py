"""Soak: `python server.py` (one worker, safe mode, real Redis) at a moderate fixed rate for ten
minutes, in windows. Each window prints the latency of its messages, the server's resident memory
and Redis's; at the end: memory growth after the warm-up (target < 10 %) and how the last
windows' latency compares with the first ones after warm-up (flat: close to 1).

    REDIS_URL=redis://127.0.0.1:6379/9 PYTHONPATH=. python bench/load/soak.py \
        [--minutes 10] [--rate 50] [--warmup 2]     (`make soak`)

The mix is the load benchmark's (policy questions, voice, menu clicks, retries) over 2,000
residents, so sessions pile up in Redis until their TTL as they would on a busy day.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

import redis

from bench.load import client, traffic
from bench.load.processes import start_bot

WINDOW = 30.0  # seconds
RESIDENTS = 2000


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description="ten minutes at a moderate rate: memory and latency")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0, help="messages a second offered")
    parser.add_argument("--warmup", type=float, default=2.0, help="minutes not counted in the growth")
    parser.add_argument("--port", type=int, default=7250)
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL")
    if not url:
        print("soak: skipped, set REDIS_URL to a real Redis (a database it empties)")
        return
    db = redis.Redis.from_url(url)
    db.flushdb()
    bot = start_bot(url, args.port)
    pid = bot.workers()[0]
    windows = int(args.minutes * 60 / WINDOW)
    warm = int(args.warmup * 60 / WINDOW)
    print(f"soak: {args.rate:.0f} msg/s offered for {args.minutes:.0f} min in {WINDOW:.0f} s windows, "
          f"one worker, load average {os.getloadavg()[0]:.1f} at start (a shared machine)")
    print("window  minute  p50 ms  p99 ms  errors  server RSS MB  Redis MB")
    rows = []
    try:
        base = int(time.time()) % 10**5 * 10**7
        for w in range(windows):
            requests = traffic.closed_loop(int(args.rate * WINDOW), base + w * 10**5, RESIDENTS, seed=w)
            tally = asyncio.run(client.fixed_rate(bot.port, requests, args.rate))
            lat = tally.latencies
            row = (statistics.median(lat) * 1000, client.percentile(lat, 0.99) * 1000, tally.errors,
                   rss_mb(pid), db.info("memory")["used_memory"] / 2**20)
            rows.append(row)
            print(f"{w + 1:6d}  {(w + 1) * WINDOW / 60:6.1f}  {row[0]:6.1f}  {row[1]:6.1f}  {row[2]:6d}  "
                  f"{row[3]:13.0f}  {row[4]:8.1f}", flush=True)
    finally:
        peak = max(bot.peak_rss_mb())
        bot.stop()
    after_warmup, last = rows[warm - 1][3], rows[-1][3]
    early = statistics.median(r[1] for r in rows[warm:warm + 4])
    late = statistics.median(r[1] for r in rows[-4:])
    print(f"server RSS after warm-up {after_warmup:.0f} MB, at the end {last:.0f} MB: "
          f"{(last / after_warmup - 1) * 100:+.1f} % (target < 10 %); peak {peak:.0f} MB")
    print(f"p99 of the last four windows against the first four after warm-up: {late / early:.2f} "
          f"({early:.1f} → {late:.1f} ms); errors {sum(r[2] for r in rows)}")


if __name__ == "__main__":
    main()
