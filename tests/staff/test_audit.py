"""The audit log cannot be flooded: repeated failures fold, the stream is capped, the view pages."""

from __future__ import annotations

import logging
import re

import pytest

from bot.services import Services
from bot.staff.audit import AUDIT_STREAM, PAGE_SIZE, SCAN_LIMIT, AuditLog
from tests.staff.conftest import NANUO, YANGJIE


async def stream(services: Services) -> list[dict[str, str]]:
    rows = await services.redis.xrange(AUDIT_STREAM)
    return [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in rows]


def counted(entries: list[dict[str, str]], result: str) -> int:
    return sum(int(e.get("count", "1")) for e in entries if e["action"] == "login" and e["result"] == result)


async def test_a_flood_of_failed_logins_folds_into_a_few_counted_entries(client, staff_services,
                                                                        login) -> None:
    for _ in range(300):
        await login(client, password="not the password")
    assert await staff_services.redis.xlen(AUDIT_STREAM) <= 6  # not 300
    audit = AuditLog(staff_services.redis)
    await audit.page(NANUO)  # viewing writes out what the past minutes folded
    await audit.page(NANUO)
    entries = await stream(staff_services)
    # one minute: the first of each result is an entry, the rest arrive as counted entries
    assert counted(entries, "denied") == 10 and counted(entries, "locked") == 290
    assert len(entries) <= 8


async def test_the_stream_is_capped_and_says_so(staff_services: Services,
                                                caplog: pytest.LogCaptureFixture) -> None:
    audit = AuditLog(staff_services.redis, max_entries=100)
    caplog.set_level(logging.WARNING)
    for i in range(600):
        await audit.record("nanuo1", NANUO, "view_record", f"rec{i:05d}xx")
    assert await staff_services.redis.xlen(AUDIT_STREAM) < 300  # approximate trimming: whole nodes
    assert any("AUDIT_MAX_ENTRIES" in r.getMessage() for r in caplog.records)
    newest = (await staff_services.redis.xrevrange(AUDIT_STREAM, count=1))[0][1]
    assert newest[b"record"] == b"rec00599xx"


async def test_the_view_pages_and_reads_a_bounded_number_of_entries(
        client, staff_services: Services, login, monkeypatch: pytest.MonkeyPatch) -> None:
    audit = AuditLog(staff_services.redis)
    for i in range(120):
        await audit.record("nanuo1", NANUO, "view_record", f"own{i:05d}x")
        for _ in range(40):  # another township's busy log in between
            await audit.record("yangjie1", YANGJIE, "view_queue", result="rows=1")
    read = 0
    original = staff_services.redis.xrevrange

    async def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal read
        rows = await original(*args, **kwargs)
        read += len(rows)
        return rows

    monkeypatch.setattr(staff_services.redis, "xrevrange", counting)
    await login(client)
    seen: list[str] = []
    path: str | None = "/staff/audit"
    pages = 0
    while path:
        read = 0
        page = await client.get(path)
        assert page.status_code == 200
        assert read <= SCAN_LIMIT  # whatever the stream's size
        rows = re.findall(r"own\d{5}x", page.text)
        assert len(rows) <= PAGE_SIZE
        seen += rows
        older = re.search(r'href="(/staff/audit\?before=[0-9-]+)"', page.text)
        path = older.group(1) if older else None
        pages += 1
        assert pages < 20
    assert seen == [f"own{i:05d}x" for i in reversed(range(120))]  # all of them, newest first, once
    assert "yangjie1" not in "".join(seen)
