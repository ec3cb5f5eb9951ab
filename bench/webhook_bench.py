"""Webhook latency, in process: p50/p99 of signed text messages through the whole stack
(signature, parse, de-dup, engine, knowledge, sealed session), in plaintext and in safe mode; the
WeChat transport alone (parse + reply, decrypt + encrypt) per message; and the time to answer when
Redis refuses or hangs. Uses REDIS_URL when set, else the embedded server.

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
from bot.wechat.crypto import SafeModeCrypto
from bot.wechat.messages import parse_inbound
from bot.wechat.replies import render_text
from bot.wechat.signature import make_signature

TOKEN = "benchtoken"
AES_KEY, APPID = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6"
ANSWER = "低保申请需要准备户口簿、身份证和收入证明，可到乡镇便民服务中心办理。" * 6
QUESTIONS = ["低保怎么申请", "菜单", "1", "特困人员有哪些条件", "帮助", "临时救助找哪个", "联系我们", "返回"]


def body(text: str, msg_id: int) -> str:
    return (f"<xml><ToUserName>gh_bench</ToUserName><FromUserName>oBench{msg_id % 50}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def params() -> dict[str, str]:
    ts = str(int(time.time()))
    return {"signature": make_signature(TOKEN, ts, "n"), "timestamp": ts, "nonce": "n"}


def request(crypto: SafeModeCrypto | None, xml: str) -> tuple[dict[str, str], str]:
    """Query and body as WeChat sends them: plaintext, or the safe-mode envelope."""
    query = params()
    if crypto is None:
        return query, xml
    sealed = crypto.encrypt(xml, query["timestamp"], query["nonce"])
    value = sealed.split("<Encrypt><![CDATA[", 1)[1].split("]]>", 1)[0]
    signature = make_signature(TOKEN, query["timestamp"], query["nonce"], value)
    envelope = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
                f"<Encrypt><![CDATA[{value}]]></Encrypt></xml>")
    return {**query, "encrypt_type": "aes", "msg_signature": signature}, envelope


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


async def run(count: int, redis_url: str | None, safe: bool = False) -> list[float]:
    # The message limit is counted as usual but set out of reach: 50 residents send all of these.
    settings = Settings(app_env="test", wechat_token=TOKEN, redis_url=redis_url, _env_file=None,
                        wechat_aes_key=AES_KEY if safe else "", wechat_appid=APPID,
                        rate_limit_messages="1000000/minute")
    services = build_services(settings, redis=connect(redis_url, settings.redis_timeout),
                              knowledge=KnowledgeBase.from_directory())
    app = create_app(settings, services)
    crypto = SafeModeCrypto(TOKEN, AES_KEY, APPID) if safe else None
    first_id = 10_000 + (500_000 if safe else 0) + int(time.time()) % 100_000 * 1_000
    timings: list[float] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client:
        for i in range(count):
            query, content = request(crypto, body(QUESTIONS[i % len(QUESTIONS)], first_id + i))
            started = time.perf_counter()
            response = await client.post("/wechat", params=query, content=content)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    await services.redis.aclose()
    return timings


def transport(count: int) -> tuple[float, float]:
    """Microseconds per message for parse + text reply, and for safe-mode decrypt + encrypt."""
    bodies = [body(QUESTIONS[i % len(QUESTIONS)], i).encode() for i in range(count)]
    started = time.perf_counter()
    for raw in bodies:
        inbound = parse_inbound(raw)
        render_text(inbound.user, inbound.account, ANSWER, inbound.create_time)
    plain = (time.perf_counter() - started) / count * 1e6
    crypto = SafeModeCrypto(TOKEN, AES_KEY, APPID)
    envelopes = [request(crypto, raw.decode()) for raw in bodies]
    started = time.perf_counter()
    for query, envelope in envelopes:
        inner = crypto.decrypt(envelope, query["msg_signature"], query["timestamp"], query["nonce"])
        crypto.encrypt(inner, query["timestamp"], query["nonce"])
    return plain, (time.perf_counter() - started) / count * 1e6


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    url = os.environ.get("REDIS_URL")
    for safe in (False, True):
        timings = await run(count, url, safe)
        print(f"webhook, {count} messages, {'safe mode' if safe else 'plaintext'}, "
              f"storage={'REDIS_URL' if url else 'embedded'}: "
              f"p50 {statistics.median(timings):.2f} ms, p99 {percentile(timings, 0.99):.2f} ms, "
              f"max {max(timings):.2f} ms")
    plain, safe_mode = transport(5000)
    print(f"transport alone: parse + reply {plain:.0f} µs, decrypt + encrypt {safe_mode:.0f} µs per message")
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
