"""Deadlines from arrival: a stalled body is cut off, a request that waited too long gets busy."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import httpx
import redis.asyncio as aioredis

from bot.app import create_app
from bot.knowledge import KnowledgeBase
from bot.services import build_services
from tests.servers import running
from tests.test_webhook import content_of, make_settings, signed, text_xml

KB = KnowledgeBase.from_directory()


def test_a_signed_request_whose_body_stalls_is_cut_off(redis_url: str) -> None:
    with running(redis_url, {"BODY_TIMEOUT": "1.5"}) as (server,):
        body = text_xml("菜单", msg_id="6601").encode()
        head = (f"POST /wechat?{urlencode(signed())} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
            sock.sendall(head + body[:40])  # and then nothing more
            answer = b""
            while chunk := sock.recv(4096):  # until the server closes the connection
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 408")


async def test_a_request_that_arrived_longer_ago_than_the_deadline_gets_the_busy_text(
        redis_client: aioredis.Redis) -> None:
    services = build_services(make_settings(webhook_deadline=0.4), redis=redis_client, knowledge=KB)
    app = create_app(services.settings, services)
    ran: list[str] = []
    original = app.state.engine.handle

    async def counting(message, page_bytes=None):  # type: ignore[no-untyped-def]
        ran.append(message.text)
        return await original(message, page_bytes)

    app.state.engine.handle = counting

    async def late_body() -> AsyncIterator[bytes]:
        await asyncio.sleep(0.6)  # stands for the time spent queued in a flooded server
        yield text_xml("低保怎么申请", msg_id="6602").encode()

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx") as client:
        shed = await client.post("/wechat", params=signed(), content=late_body())
        assert content_of(shed.text) == services.templates.render("chat/overloaded.txt")
        assert ran == []  # no turn was started that could only be answered late
        fresh = await client.post("/wechat", params=signed(), content=text_xml("低保怎么申请", msg_id="6603"))
    assert ran == ["低保怎么申请"] and "低保" in content_of(fresh.text)
