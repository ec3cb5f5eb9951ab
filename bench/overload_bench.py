"""The webhook under a flood: does every request get an answer within WeChat's 5 s?

Starts a real server (`python server.py`, one uvicorn worker) on REDIS_URL and keeps many signed
text messages from many residents in flight at once (one sender per connection, back to back,
over raw sockets so the sender costs the shared CPU little), then prints the latency seen by the
sender, how many answers came after 5 s (WeChat would have given up and shown the resident an
error), and how many were an answer, the short busy text of load shedding, "系统繁忙" (a Redis
call timed out), "正在处理" (the turn overran the deadline) or uvicorn's 503.

Two servers are flooded in the same run, taking turns: one with the defaults (deadline from arrival, load
shedding, MAX_CONCURRENCY) and, as the baseline, one where the deadline is pushed to 60 s and the
connection ceiling to 100,000 by settings — turns then run however late they start.

    REDIS_URL=redis://127.0.0.1:6379/14 PYTHONPATH=. .venv/bin/python bench/overload_bench.py \
        [requests=3000] [connections=300] [rounds=3]
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from bot.services import contact_details
from bot.settings import Settings
from bot.templates import Templates
from bot.wechat.signature import make_signature

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "benchtoken"
QUESTIONS = ["低保怎么申请", "特困人员有哪些条件", "临时救助找哪个", "联系我们", "帮助", "菜单"]
LATE = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(redis_url: str, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    full = {**os.environ, "APP_ENV": "test", "REDIS_URL": redis_url, "PORT": str(port),
            "WECHAT_TOKEN": TOKEN, "LOG_LEVEL": "WARNING", "RATE_LIMIT_MESSAGES": "1000/minute", **env}
    proc = subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=full,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def body(i: int) -> str:
    return (f"<xml><ToUserName>gh_bench</ToUserName><FromUserName>oFlood{i % 997}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType>"
            f"<Content><![CDATA[{QUESTIONS[i % len(QUESTIONS)]}]]></Content><MsgId>{i}</MsgId></xml>")


def params() -> dict[str, str]:
    ts = str(int(time.time()))
    return {"signature": make_signature(TOKEN, ts, "n"), "timestamp": ts, "nonce": "n"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def request_bytes(port: int, i: int) -> bytes:
    content = body(i).encode()
    query = "&".join(f"{k}={v}" for k, v in params().items())
    return (f"POST /wechat?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(content)}\r\n\r\n").encode() + content


async def flood(url: str, count: int, connections: int, first_id: int) -> tuple[list[float], Counter[str]]:
    """`connections` senders, each on its own connection, sending back to back: `connections`
    requests are always in flight; each latency is from sending to the full answer. The sender
    is raw asyncio streams, so it costs the shared CPU little next to the server."""
    port = int(url.rsplit(":", 1)[1])
    templates = Templates({"contact": contact_details(Settings(_env_file=None))})
    texts = {"busy text (shed)": templates.render("chat/overloaded.txt").encode(),
             "系统繁忙": templates.render("chat/busy.txt").split("\n")[0].encode(),
             "正在处理": templates.render("chat/processing.txt").encode()}
    timings: list[float] = []
    kinds: Counter[str] = Counter()

    async def sender(first: int) -> None:
        reader = writer = None
        for i in range(first, count, connections):
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                assert reader is not None
                writer.write(request_bytes(port, first_id + i))
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                answer = await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError, StopIteration) as exc:
                kinds[type(exc).__name__] += 1
                writer = None
                continue
            timings.append(time.perf_counter() - started)
            status = head.split(b" ", 2)[1].decode()
            if status != "200":
                kinds[f"HTTP {status}"] += 1
                writer = None if b"close" in head.lower() else writer
            else:
                kinds[next((kind for kind, text in texts.items() if text in answer), "answer")] += 1
        if writer is not None:
            writer.close()

    await asyncio.gather(*(sender(n) for n in range(connections)))
    return timings, kinds


def report(label: str, timings: list[float], kinds: Counter[str]) -> None:
    late = sum(t > LATE for t in timings)
    print(f"{label}: p50 {statistics.median(timings) * 1000:.0f} ms, p90 {pct(timings, 0.9) * 1000:.0f} ms, "
          f"p99 {pct(timings, 0.99) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms; "
          f"after {LATE:.0f} s: {late}; " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:  # the embedded server lives inside one process; this needs a real Redis
        print("overload_bench: skipped, set REDIS_URL to a real Redis (a database it may fill)")
        return
    print(f"flood: {count} signed messages over {connections} connections, one worker per server, "
          f"{rounds} rounds taking turns (the machine's load drifts)")
    configs = {"baseline (no deadline)": {"WEBHOOK_DEADLINE": "60", "MAX_CONCURRENCY": "100000"},
               "defaults": {}}
    servers = {label: start(redis_url, **env) for label, env in configs.items()}
    results: dict[str, tuple[list[float], Counter[str]]] = {label: ([], Counter()) for label in configs}
    try:
        for label, (_, url) in servers.items():
            quiet = [t for t in (await flood(url, 200, 1, 0))[0]]
            print(f"{label}: quiet, one at a time: p50 {statistics.median(quiet) * 1000:.1f} ms, "
                  f"p99 {pct(quiet, 0.99) * 1000:.1f} ms")
        for n in range(rounds):
            for label, (_, url) in servers.items():
                timings, kinds = await flood(url, count, connections, 1_000_000 * (n + 1))
                print(f"  round {n + 1}, {label}: after {LATE:.0f} s: {sum(t > LATE for t in timings)}, "
                      f"max {max(timings) * 1000:.0f} ms")
                results[label][0].extend(timings)
                results[label][1].update(kinds)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(timeout=10)
    for label, (timings, kinds) in results.items():
        report(f"{label}, all rounds", timings, kinds)


if __name__ == "__main__":
    asyncio.run(main())
