"""Light load generators that read replies: a fixed offered rate, and residents in conversation.

Both speak HTTP/1.1 over raw asyncio streams (keep-alive, one request at a time a connection), so
the generator costs the shared CPU little next to the server; `cpu_seconds` lets the benchmark
report how little. Latency at a fixed rate is counted from the moment a request was due, not from
when it was sent, so a server that falls behind shows it (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.load.traffic import Sealer, Signed, text_xml

_CONTENT = re.compile(r"<Content><!\[CDATA\[(.*?)\]\]></Content>", re.S)
_FIELD = re.compile(r"<(MsgSignature|TimeStamp|Nonce)><!\[CDATA\[(.*?)\]\]></\1>"
                    r"|<(TimeStamp)>(\d+)</TimeStamp>")


KEEP_ALIVE = 4.0  # seconds a connection may idle before reuse; uvicorn closes them after 5


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def send(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is not None and time.monotonic() - self.used > KEEP_ALIVE:
            self.close()  # the server may be closing it this very moment
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await self.reader.readexactly(length)
        self.used = time.monotonic()
        if b"connection: close" in head.lower():
            self.close()
        return int(head.split(b" ", 2)[1]), body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this generator's own CPU time while it ran

    @property
    def errors(self) -> int:
        return sum(n for kind, n in self.outcomes.items() if kind not in ("answer",))


async def fixed_rate(port: int, requests: list[Signed], rate: float) -> Tally:
    """Offer `requests` at `rate` a second, each on an idle connection (a new one when none is)."""
    tally = Tally()
    idle: list[Connection] = []
    host = f"127.0.0.1:{port}"
    loop = asyncio.get_running_loop()
    start, cpu = loop.time() + 0.05, time.process_time()

    async def one(due: float, request: Signed) -> None:
        conn = idle.pop() if idle else Connection("127.0.0.1", port)
        try:
            status, _ = await conn.send(request.http(host))
        except (OSError, asyncio.IncompleteReadError) as exc:
            tally.outcomes[type(exc).__name__] += 1
            conn.close()
            return
        tally.latencies.append(loop.time() - due)
        tally.outcomes["answer" if status == 200 else f"HTTP {status}"] += 1
        idle.append(conn)

    tasks = []
    for i, request in enumerate(requests):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        tasks.append(asyncio.create_task(one(due, request)))
    await asyncio.gather(*tasks)
    tally.seconds, tally.cpu_seconds = loop.time() - start, time.process_time() - cpu
    for conn in idle:
        conn.close()
    return tally


def reply_text(sealer: Sealer, body: bytes, nonce: str) -> str:
    xml = body.decode()
    fields = {m.group(1) or m.group(3): m.group(2) or m.group(4) for m in _FIELD.finditer(xml)}
    inner = sealer.open_reply(xml, nonce, fields.get("TimeStamp", ""), fields.get("MsgSignature", ""))
    found = _CONTENT.search(inner)
    return found.group(1) if found else ""


async def converse(port: int, scripts: list[list[str]], first_id: int, busy_texts: dict[str, str]) -> Tally:
    """One resident a script, all at once: send a message, read and decrypt the reply, send the next."""
    tally = Tally()
    sealer = Sealer()
    host = f"127.0.0.1:{port}"
    loop = asyncio.get_running_loop()
    start, cpu = loop.time(), time.process_time()

    async def resident(n: int, script: list[str]) -> None:
        conn = Connection("127.0.0.1", port)
        for i, said in enumerate(script):
            nonce = f"c{n}x{i}"
            request = sealer.sign(text_xml(f"oTalk{first_id}p{n:03d}", first_id + n * 1000 + i, said), nonce)
            sent = loop.time()
            try:
                status, body = await conn.send(request.http(host))
            except (OSError, asyncio.IncompleteReadError) as exc:
                tally.outcomes[type(exc).__name__] += 1
                conn.close()
                continue
            tally.latencies.append(loop.time() - sent)
            if status != 200:
                tally.outcomes[f"HTTP {status}"] += 1
                continue
            text = reply_text(sealer, body, nonce) if body.startswith(b"<xml>") else ""
            busy = (k for k, t in busy_texts.items() if t and t in text)
            kind = next(busy, "answer" if text else "no reply")
            tally.outcomes[kind] += 1
        conn.close()

    await asyncio.gather(*(resident(n, s) for n, s in enumerate(scripts)))
    tally.seconds, tally.cpu_seconds = loop.time() - start, time.process_time() - cpu
    return tally


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")
