"""`python -m bot chat`: talk to the engine in a terminal, as a resident would on WeChat.

Uses the same settings, storage and engine as the server (embedded storage by default), with
WeChat's one-message-per-turn paging so long answers behave as they do on a phone.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.engine import Engine, Message
from bot.services import build_services
from bot.settings import get_settings

PAGE_BYTES = 2000


async def chat(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, user: str = "terminal") -> None:
    from bot.knowledge import KnowledgeBase

    services = build_services(get_settings(), knowledge=KnowledgeBase.from_directory())
    engine = Engine(services)

    async def show(message: Message) -> None:
        for reply in await engine.handle(message, PAGE_BYTES):
            stdout.write(f"\n{reply.text}\n")
            if reply.url:
                stdout.write(f"[{reply.link_text or 'link'}] {reply.url}\n")
        stdout.flush()

    await show(Message(user=user, key="welcome", channel="terminal"))
    try:
        while True:
            stdout.write("\n> ")
            stdout.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await show(Message(user=user, text=line.rstrip("\n"), channel="terminal"))
    finally:
        await services.redis.aclose()
