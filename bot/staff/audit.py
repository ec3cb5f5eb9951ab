"""The staff audit log: who looked at or exported what, and when, kept at least six months.

等保 2.0 and the Cybersecurity Law expect security logs kept ≥ 6 months without personal data, so
an entry holds only the time, the staff account, its township, the action, a record id and a short
result code. Entries live in one Redis stream trimmed by age (XADD … MINID), never by count, so a
busy month cannot push out entries younger than `RETENTION_DAYS`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis.asyncio as aioredis

from bot.application.model import now_iso
from bot.storage import guarded

AUDIT_STREAM = "staff:audit"
RETENTION_DAYS = 190  # ≥ 180 days (等保 2.0: six months), with a margin
PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditEntry:
    entry_id: str
    at: str
    user: str
    township: str
    action: str  # login, logout, view_queue, view_record, take, export, view_audit
    record: str  # a record id or ""
    result: str  # ok, denied, not_found, locked, or a count such as "rows=12"


class AuditLog:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def record(self, user: str, township: str, action: str, record: str = "",
                     result: str = "ok") -> None:
        oldest_ms = int((time.time() - RETENTION_DAYS * 86400) * 1000)
        fields = {"at": now_iso(), "user": user, "township": township, "action": action,
                  "record": record, "result": result}
        await guarded(lambda: self.redis.xadd(AUDIT_STREAM, fields, minid=oldest_ms, approximate=False))

    async def recent(self, township: str, before: str | None = None,
                     limit: int = PAGE_SIZE) -> list[AuditEntry]:
        """Newest first, only this township's entries; `before` pages back from an entry id."""
        found: list[AuditEntry] = []
        end = f"({before}" if before else "+"
        while len(found) < limit:
            rows = await guarded(lambda e=end: self.redis.xrevrange(AUDIT_STREAM, max=e, min="-", count=500))
            if not rows:
                break
            for eid, raw in rows:
                fields = {k.decode(): v.decode() for k, v in raw.items()}
                if fields.get("township") == township:
                    found.append(AuditEntry(eid.decode(), **fields))
            end = f"({rows[-1][0].decode()}"
        return found[:limit]
