"""Webhook latency, in process: p50/p99 of signed text messages through the whole stack
(signature, parse, de-dup, engine, knowledge, sealed session), and the time to answer when Redis
refuses or hangs. Uses REDIS_URL when set, else the embedded server.

    PYTHONPATH=. .venv/bin/python bench/webhook_bench.py [messages]
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import time

import httpx

from bot.app import create_app
from bot.knowledge import KnowledgeBase
from bot.services import build_services
from bot.settings import Settings
from bot.storage import connect
from bot.wechat.signature import make_signature

TOKEN = "benchtoken"
QUESTIONS = ["低保怎么申请", "菜单", "1", "特困人员有哪些条件", "帮助", "临时救助找哪个", "联系我们", "返回"]


def body(text: str, msg_id: int) -> str:
    return (f"<xml><ToUserName>gh_bench</ToUserName><FromUserName>oBench{msg_id % 50}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def params() -> dict[str, str]:
    ts = str(int(time.time()))
    return {"signature": make_signature(TOKEN, ts, "n"), "timestamp": ts, "nonce": "n"}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


async def run(count: int, redis_url: str | None) -> list[float]:
    # The message limit is counted as usual but set out of reach: 50 residents send all of these.
    settings = Settings(app_env="test", wechat_token=TOKEN, redis_url=redis_url,
                        rate_limit_messages="1000000/minute", _env_file=None)
    services = build_services(settings, redis=connect(redis_url, settings.redis_timeout),
                              knowledge=KnowledgeBase.from_directory())
    app = create_app(settings, services)
    timings: list[float] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client:
        for i in range(count):
            started = time.perf_counter()
            response = await client.post("/wechat", params=params(),
                                         content=body(QUESTIONS[i % len(QUESTIONS)], 10_000 + i))
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    await services.redis.aclose()
    return timings


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    url = os.environ.get("REDIS_URL")
    timings = await run(count, url)
    print(f"webhook, {count} messages, storage={'REDIS_URL' if url else 'embedded'}: "
          f"p50 {statistics.median(timings):.2f} ms, p99 {percentile(timings, 0.99):.2f} ms, "
          f"max {max(timings):.2f} ms")
    refused = await run(5, f"redis://127.0.0.1:{dead_port()}/0")
    print(f"Redis refused: max {max(refused):.0f} ms per reply")
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(64)
    slow = await run(5, f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
    hung.close()
    print(f"Redis hung (accepts, never answers): max {max(slow):.0f} ms per reply")


if __name__ == "__main__":
    asyncio.run(main())
