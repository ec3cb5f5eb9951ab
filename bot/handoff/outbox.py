"""The `http` hand-off: a Redis Streams outbox that survives crashes and delivers exactly once.

Handing off only writes to Redis (fast, inside WeChat's 5 s window); the worker (`worker.py`)
does the slow POST. Delivery is at-least-once (consumer group, XAUTOCLAIM of entries a dead
worker left pending) and made exactly-once per application by a delivered marker here plus the
`Idempotency-Key` (the record id) the receiver de-duplicates on.

Keys (all hold sealed data only, all with a TTL):
- `{outbox}:stream`  entries `rid`, `owner` (the record's user key), `attempt`, `body` (sealed JSON)
- `{outbox}:retry`   sorted set of failed entries waiting for their backoff (score = due time)
- `{outbox}:dead`    dead letters: the entry plus a short `reason` code ("http_500", "network")
- `{outbox}:queued:<rid>` / `{outbox}:done:<rid>`  enqueue de-duplication / delivered markers

Acknowledged entries are deleted from the stream at once (XACK + XDEL in one transaction), so the
stream only ever holds undelivered work; the dead-letter stream is capped with MAXLEN.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import redis.asyncio as aioredis
from redis.exceptions import ResponseError, WatchError

from bot.application.model import ApplicationRecord, Status
from bot.application.store import ApplicationStore
from bot.crypto import Sealer
from bot.handoff import HandoffResult
from bot.storage import guarded

# One hash tag: the retry set, the stream and the markers change together in transactions, so on
# a Redis Cluster they share a slot.
STREAM = "{outbox}:stream"
RETRY = "{outbox}:retry"
DEAD = "{outbox}:dead"
QUEUED = "{outbox}:queued:"
DONE = "{outbox}:done:"
GROUP = "intake"
DEAD_MAXLEN = 10_000
_SEAL_CONTEXT = "outbox"


@dataclass(frozen=True)
class Entry:
    """One outbox entry as read from the stream (or the retry set, where `entry_id` is "")."""

    entry_id: str
    rid: str
    owner: str
    attempt: int  # failed attempts so far
    body: str  # sealed JSON document

    @classmethod
    def from_fields(cls, entry_id: str, fields: dict[bytes, bytes]) -> Entry:
        text = {k.decode(): v.decode() for k, v in fields.items()}
        return cls(entry_id, text["rid"], text["owner"], int(text["attempt"]), text["body"])

    def fields(self, attempt: int | None = None) -> dict[str, str]:
        return {"rid": self.rid, "owner": self.owner,
                "attempt": str(self.attempt if attempt is None else attempt), "body": self.body}


def application_document(record: ApplicationRecord) -> dict:
    """What the intake endpoint receives: the record's identity and the prepared application."""
    return {
        "id": record.id,
        "kind": record.kind,
        "township_code": record.township_code,
        "created_at": record.created_at,
        "application": record.payload,
    }


class Outbox:
    def __init__(self, redis: aioredis.Redis, sealer: Sealer, ttl: int) -> None:
        self.redis = redis
        self.sealer = sealer
        self.ttl = ttl  # personal data in the outbox lives no longer than a draft

    # -- producer ------------------------------------------------------------------------------

    async def enqueue(self, record: ApplicationRecord) -> bool:
        """Queue the record once; False when it is already queued or delivered."""
        r = self.redis
        if await guarded(lambda: r.exists(DONE + record.id)):
            return False
        if not await guarded(lambda: r.set(QUEUED + record.id, "1", nx=True, ex=self.ttl)):
            return False
        body = json.dumps(application_document(record), ensure_ascii=False, sort_keys=True)
        entry = Entry("", record.id, record.user_key, 0, self.sealer.seal(body, _SEAL_CONTEXT))
        async with r.pipeline(transaction=True) as pipe:
            pipe.xadd(STREAM, entry.fields())
            pipe.expire(STREAM, self.ttl)
            await guarded(pipe.execute)
        return True

    async def forget(self, owner: str) -> int:
        """Delete every undelivered entry (queued, waiting to retry, dead) of one user key."""
        r = self.redis
        removed = 0
        for stream in (STREAM, DEAD):
            rows = await guarded(lambda s=stream: r.xrange(s))
            ids = [eid for eid, fields in rows if fields.get(b"owner", b"").decode() == owner]
            if ids:
                async with r.pipeline(transaction=True) as pipe:
                    if stream == STREAM:
                        pipe.xack(STREAM, GROUP, *ids)
                    pipe.xdel(stream, *ids)
                    await guarded(pipe.execute)
                removed += len(ids)
        waiting = [m for m in await guarded(lambda: r.zrange(RETRY, 0, -1))
                   if json.loads(m)["owner"] == owner]
        if waiting:
            await guarded(lambda: r.zrem(RETRY, *waiting))
            removed += len(waiting)
        return removed

    # -- consumer ------------------------------------------------------------------------------

    async def ensure_group(self) -> None:
        """Create the stream and group; again after the stream expired (with its group) when idle."""
        async def create() -> None:
            try:
                await self.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):  # BUSYGROUP: it exists already
                    raise

        await guarded(create)

    async def read_new(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        reply = await guarded(lambda: self.redis.xreadgroup(
            GROUP, consumer, {STREAM: ">"}, count=count, block=block_ms or None))  # 0 would wait forever
        return [Entry.from_fields(eid.decode(), fields) for _, rows in reply or [] for eid, fields in rows]

    async def claim_stale(self, consumer: str, min_idle_ms: int, count: int) -> list[Entry]:
        """Take over entries another consumer read but never acknowledged (it died)."""
        reply = await guarded(lambda: self.redis.xautoclaim(
            STREAM, GROUP, consumer, min_idle_time=min_idle_ms, start_id="0-0", count=count))
        return [Entry.from_fields(eid.decode(), fields) for eid, fields in reply[1] if fields]

    async def promote_due(self, now: float | None = None, limit: int = 100) -> int:
        """Move retries whose backoff has passed back into the stream; each exactly once."""
        r = self.redis
        due = await guarded(lambda: r.zrangebyscore(RETRY, "-inf", now or time.time(), start=0, num=limit))
        moved = 0
        for member in due:
            async with r.pipeline(transaction=True) as pipe:
                try:
                    await guarded(lambda p=pipe: p.watch(RETRY))
                    if await guarded(lambda p=pipe, m=member: p.zscore(RETRY, m)) is None:
                        continue  # another worker moved it
                    pipe.multi()
                    pipe.zrem(RETRY, member)
                    pipe.xadd(STREAM, json.loads(member))
                    pipe.expire(STREAM, self.ttl)
                    await pipe.execute()
                    moved += 1
                except WatchError:
                    continue  # the set changed under us; the next round picks it up
        return moved

    async def is_delivered(self, rid: str) -> bool:
        return bool(await guarded(lambda: self.redis.exists(DONE + rid)))

    async def mark_delivered(self, rid: str) -> None:
        await guarded(lambda: self.redis.set(DONE + rid, "1", ex=self.ttl))

    async def ack(self, entry: Entry) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(STREAM, GROUP, entry.entry_id)
            pipe.xdel(STREAM, entry.entry_id)
            await guarded(pipe.execute)

    async def retry_later(self, entry: Entry, due: float) -> None:
        """Count the failure and park the entry until `due`, atomically with its acknowledgement."""
        member = json.dumps(entry.fields(entry.attempt + 1), sort_keys=True)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(RETRY, {member: due})
            pipe.expire(RETRY, self.ttl)
            pipe.xack(STREAM, GROUP, entry.entry_id)
            pipe.xdel(STREAM, entry.entry_id)
            await guarded(pipe.execute)

    async def dead_letter(self, entry: Entry, reason: str) -> None:
        fields = {**entry.fields(entry.attempt + 1), "reason": reason, "at": str(int(time.time()))}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(DEAD, fields, maxlen=DEAD_MAXLEN, approximate=True)
            pipe.expire(DEAD, self.ttl)
            pipe.delete(QUEUED + entry.rid)  # the resident may hand it off again
            pipe.xack(STREAM, GROUP, entry.entry_id)
            pipe.xdel(STREAM, entry.entry_id)
            await guarded(pipe.execute)

    def open_body(self, entry: Entry) -> bytes:
        return self.sealer.open(entry.body, _SEAL_CONTEXT)


class HttpHandoff:
    """`HANDOFF=http`: GENERATED now, DELIVERED or FAILED once the worker has tried."""

    name = "http"

    def __init__(self, applications: ApplicationStore, outbox: Outbox) -> None:
        self.applications = applications
        self.outbox = outbox

    async def hand_off(self, record: ApplicationRecord) -> HandoffResult:
        # Status first: a fast worker may write DELIVERED right after the XADD.
        await self.applications.set_status(record.id, Status.GENERATED)
        await self.outbox.enqueue(record)
        return HandoffResult(Status.GENERATED, "queued")

    async def forget_user(self, user: str) -> int:
        return await self.outbox.forget(self.outbox.sealer.pseudonym(user))  # = record.user_key
