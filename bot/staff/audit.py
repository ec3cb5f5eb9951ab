"""The staff audit log: who looked at or exported what, and when, kept at least six months.

等保 2.0 and the Cybersecurity Law expect security logs kept ≥ 6 months without personal data, so
an entry holds only the time, the staff account, its township, the action, a record id and a short
result code. Entries live in one Redis stream, trimmed by age (MINID, `RETENTION_DAYS`) and capped
by count (`AUDIT_MAX_ENTRIES`, far above six months of real use) so a flood cannot grow it without
bound; when the cap ever drops entries younger than the retention, a warning says so.

A flood of failed sign-ins must not drown the real entries either: failures that repeat (a wrong
password, a locked account, per account and result) are written once per minute, and the repeats
of that minute are folded into one later entry with a `count` (written when the next minute's
first one comes, or when someone opens the view). The view reads one page at a time and looks
at a bounded number of entries per page, whatever the size of the stream.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import partial
from typing import cast

import redis.asyncio as aioredis
from redis.typing import EncodableT, FieldT

from bot.application.model import now_iso
from bot.storage import StreamEntries, guarded

log = logging.getLogger(__name__)
AUDIT_STREAM = "{staff:audit}"  # one hash tag: its scripts use both keys
REPEATS = "{staff:audit}:repeats"  # hash: "user\ntownship\naction\nresult" -> "minute:count"
RETENTION_DAYS = 190  # ≥ 180 days (等保 2.0: six months), with a margin
MAX_ENTRIES = 1_000_000
PAGE_SIZE = 50
SCAN_LIMIT = 2000  # stream entries looked at for one page, at most
REPEAT_SECONDS = 60
REPEATS_TTL = 7 * 86400

# Shared by both scripts: append one entry of `field` (optionally with a count), trimmed.
_APPEND = """
local function append(field, at, count)
  local f = {}
  for part in string.gmatch(field .. '\\n', '([^\\n]*)\\n') do f[#f + 1] = part end
  local args = {'XADD', KEYS[2], 'MINID', '=', ARGV[3], '*', 'at', at, 'user', f[1],
                'township', f[2], 'action', f[3], 'record', '', 'result', f[4]}
  if count then args[#args + 1] = 'count'; args[#args + 1] = count end
  redis.call(unpack(args))
end
"""
# KEYS: repeats hash, stream. ARGV: field, minute, minid, at, repeats ttl.
_REPEAT = _APPEND + """
redis.call('EXPIRE', KEYS[1], ARGV[5])
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  local minute, n = string.match(held, '^(%d+):(%d+)$')
  if minute == ARGV[2] then
    redis.call('HSET', KEYS[1], ARGV[1], minute .. ':' .. (tonumber(n) + 1))
    return 0
  end
  if tonumber(n) > 1 then append(ARGV[1], ARGV[4], tostring(tonumber(n) - 1)) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':1')
append(ARGV[1], ARGV[4], nil)
return 1
"""
# KEYS: repeats hash, stream. ARGV: (unused), minute, minid, at. Writes out the repeats counted
# so far (a minute still running goes on counting from zero); forgets minutes that are over.
_FLUSH = _APPEND + """
local held = redis.call('HGETALL', KEYS[1])
for i = 1, #held, 2 do
  local minute, n = string.match(held[i + 1], '^(%d+):(%d+)$')
  if tonumber(n) > 1 then append(held[i], ARGV[4], tostring(tonumber(n) - 1)) end
  if minute == ARGV[2] then
    redis.call('HSET', KEYS[1], held[i], minute .. ':1')
  else
    redis.call('HDEL', KEYS[1], held[i])
  end
end
return 1
"""


def is_entry_id(value: str) -> bool:
    """True for a stream entry id Redis can continue a page from: `ms-seq`, both below 2**64, not 0-0."""
    ms, _, seq = value.partition("-")
    if not all(0 < len(part) <= 20 and part.isascii() and part.isdigit() for part in (ms, seq)):
        return False
    return max(int(ms), int(seq)) < 2**64 and (int(ms), int(seq)) != (0, 0)


@dataclass(frozen=True)
class AuditEntry:
    entry_id: str
    at: str
    user: str
    township: str
    action: str  # login, logout, view_queue, view_record, take, export, view_audit
    record: str  # a record id or ""
    result: str  # ok, denied, not_found, locked, csrf, or a count such as "rows=12"
    count: int = 1  # > 1: this many more of the same since the previous entry like it


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    older: str | None  # where the next page starts (an entry id), None at the oldest


class AuditLog:
    def __init__(self, redis: aioredis.Redis, max_entries: int = MAX_ENTRIES) -> None:
        self.redis = redis
        self.max_entries = max_entries
        self._repeat = redis.register_script(_REPEAT)
        self._flush = redis.register_script(_FLUSH)

    @staticmethod
    def _oldest_kept_ms() -> int:
        return int((time.time() - RETENTION_DAYS * 86400) * 1000)

    async def record(self, user: str, township: str, action: str, record: str = "",
                     result: str = "ok") -> None:
        fields: dict[FieldT, EncodableT] = {"at": now_iso(), "user": user, "township": township,
                                            "action": action, "record": record, "result": result}

        oldest = self._oldest_kept_ms()
        await guarded(lambda: self.redis.xadd(AUDIT_STREAM, fields, minid=oldest, approximate=False))
        await self._cap()

    async def record_repeated(self, user: str, township: str, action: str, result: str) -> None:
        """A failure that may come by the thousand: one entry a minute, the repeats counted."""
        field = "\n".join(value.replace("\n", " ") for value in (user, township, action, result))
        minute = str(int(time.time()) // REPEAT_SECONDS)
        args: list[EncodableT] = [field, minute, self._oldest_kept_ms(), now_iso(), REPEATS_TTL]
        if await guarded(lambda: self._repeat(keys=[REPEATS, AUDIT_STREAM], args=args)):
            await self._cap()

    async def _cap(self) -> None:
        trimmed = await guarded(lambda: self.redis.xtrim(AUDIT_STREAM, maxlen=self.max_entries,
                                                         approximate=True))
        if trimmed:  # MINID already removed everything older, so these were younger
            log.warning("staff audit log reached AUDIT_MAX_ENTRIES: %d entries younger than %d days "
                        "were dropped; raise the cap", trimmed, RETENTION_DAYS)

    async def page(self, township: str, before: str | None = None, limit: int = PAGE_SIZE) -> AuditPage:
        """Newest first, only this township's entries; `before` continues from an earlier page."""
        minute = str(int(time.time()) // REPEAT_SECONDS)
        await guarded(lambda: self._flush(keys=[REPEATS, AUDIT_STREAM],
                                          args=["", minute, self._oldest_kept_ms(), now_iso()]))
        found: list[AuditEntry] = []
        end, looked = f"({before}" if before else "+", 0
        while len(found) < limit and looked < SCAN_LIMIT:
            batch = min(500, SCAN_LIMIT - looked)
            rows = cast(StreamEntries, await guarded(
                partial(self.redis.xrevrange, AUDIT_STREAM, max=end, min="-", count=batch)))
            if not rows:
                return AuditPage(found, None)
            for eid, raw in rows:
                looked += 1
                fields = {k.decode(): v.decode() for k, v in raw.items()}
                if fields.get("township") == township:
                    count = int(fields.pop("count", "1"))
                    found.append(AuditEntry(eid.decode(), count=count, **fields))
                    if len(found) == limit:
                        return AuditPage(found, eid.decode())
            end = f"({rows[-1][0].decode()}"
        return AuditPage(found, end[1:])
