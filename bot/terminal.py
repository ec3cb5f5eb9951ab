"""`python -m bot chat`: talk to the service in a terminal, as a resident would on WeChat.

When a server answers at HOST/PORT (`make run` in another terminal), the chat goes through its
`POST /api/v1/chat`, so whatever is made here (an application and its link, a report) lives on
that server and opens there. With no server it says so, and runs the engine in this process on
its own storage (embedded unless REDIS_URL is set): links it prints point at a server that is not
running. `--standalone` skips the server; `--server URL` names another one. Long answers are paged
as on a phone, one message a turn, the rest after `更多`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

import httpx

from bot.dialogs.base import Reply
from bot.engine import Engine, Message
from bot.services import build_services
from bot.settings import Settings, get_settings

PAGE_BYTES = 2000
PROBE_SECONDS = 1.0
Send = Callable[[str, str | None], Awaitable[list[Reply]]]  # (text, menu key) → replies


async def server_up(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/healthz", timeout=PROBE_SECONDS)).status_code == 200
    except httpx.HTTPError:
        return False


def _over_http(client: httpx.AsyncClient, user: str) -> Send:
    async def send(text: str, key: str | None) -> list[Reply]:
        body = {"user": user, "text": text, "key": key, "page_bytes": PAGE_BYTES}
        try:
            response = await client.post("/api/v1/chat", json=body)
        except httpx.HTTPError as exc:
            return [Reply(f"(the server did not answer: {type(exc).__name__})")]
        if response.status_code != 200:
            return [Reply(f"(the server answered {response.status_code}: {response.text[:200]})")]
        return [Reply(r["text"], r.get("url"), r.get("link_text")) for r in response.json()["replies"]]

    return send


async def _loop(send: Send, stdin: TextIO, stdout: TextIO) -> None:
    async def show(text: str, key: str | None = None) -> None:
        for reply in await send(text, key):
            stdout.write(f"\n{reply.text}\n")
            if reply.url:
                stdout.write(f"[{reply.link_text or 'link'}] {reply.url}\n")
        stdout.flush()

    await show("", "welcome")
    while True:
        stdout.write("\n> ")
        stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return
        await show(line.rstrip("\n"))


async def chat(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, user: str = "terminal",
               server: str | None = None, standalone: bool = False) -> None:
    settings = get_settings()
    url = (server or settings.local_url).rstrip("/")
    headers = {"X-API-Key": settings.api_key} if settings.api_key else {}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10.0) as client:
        if not standalone and await server_up(client):
            stdout.write(f"Talking to the server at {url} (/api/v1/chat) as resident api:{user}; "
                         "links open on that server.\n")
            await _loop(_over_http(client, user), stdin, stdout)
            return
    why = "--standalone" if standalone else f"no server answers at {url}"
    stdout.write(f"Standalone ({why}): this process runs its own engine and storage, so links made "
                 f"here do not open on any server. Start `make run` first to chat with the server.\n")
    await _standalone(settings, user, stdin, stdout)


async def _standalone(settings: Settings, user: str, stdin: TextIO, stdout: TextIO) -> None:
    from bot.knowledge import KnowledgeBase

    services = build_services(settings, knowledge=KnowledgeBase.from_directory())
    engine = Engine(services)

    async def send(text: str, key: str | None) -> list[Reply]:
        return await engine.handle(Message(user=user, text=text, key=key, channel="terminal"), PAGE_BYTES)

    try:
        await _loop(send, stdin, stdout)
    finally:
        await services.redis.aclose()


def main(argv: list[str]) -> int:
    """`chat [--server URL | --standalone]`."""
    parser = argparse.ArgumentParser(prog="python -m bot chat", description="Chat in a terminal.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--server", help="the server to talk to (default: http://HOST:PORT)")
    where.add_argument("--standalone", action="store_true", help="run the engine here, not on a server")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends the chat, as Ctrl-D does
        asyncio.run(chat(server=args.server, standalone=args.standalone))
    return 0
