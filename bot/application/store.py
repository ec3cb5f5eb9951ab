"""Applications and reports in Redis: sealed payloads, plain envelopes, two indexes, all with TTLs.

Why: the chat (`我的申请`), the H5 page, the hand-off worker and the township staff pages read the
same records. Each record is one hash `{apps}:app:<id>`: the envelope fields (status, history, township,
times) stay readable for queues, the payload is AES-GCM sealed (context "app"), so a `SCAN` shows
no name, ID number, phone or income. Indexes are sorted sets by creation time: per resident
(`{apps}:user:<pseudonym>`) and per township (`{apps}:township:<code>`); all share the
hash tag `{apps}`, one Redis Cluster slot. Every key expires after
`ttl` (DRAFT_TTL); index entries older than that are trimmed whenever an index is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from bot import clock
from bot.application.model import ApplicationRecord, Status, now_iso
from bot.crypto import Sealer
from bot.storage import guarded, tag

_SET_STATUS_ATTEMPTS = 5
# One hash tag for every record and index: a record is saved atomically with the index of its
# resident and of its township, so on a Redis Cluster they must share a slot (a few hundred
# records a day at most, against thousands of messages).
APPS = tag("apps")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class ApplicationStore:
    def __init__(self, redis: aioredis.Redis, sealer: Sealer, ttl: int) -> None:
        self.redis = redis
        self.sealer = sealer
        self.ttl = ttl

    @staticmethod
    def _key(app_id: str) -> str:
        return f"{APPS}:app:{app_id}"

    @staticmethod
    def _user_index(user_key: str) -> str:
        return f"{APPS}:user:{user_key}"

    @staticmethod
    def _township_index(code: str) -> str:
        return f"{APPS}:township:{code}"

    def _fields(self, record: ApplicationRecord) -> dict[str, str]:
        envelope = record.envelope()
        envelope["history"] = json.dumps(envelope["history"])
        payload = json.dumps(record.payload, ensure_ascii=False, separators=(",", ":"))
        return {**envelope, "payload": self.sealer.seal(payload, "app")}

    def _record(self, raw: dict[Any, Any]) -> ApplicationRecord:
        data = {_text(k): _text(v) for k, v in raw.items()}
        payload = json.loads(self.sealer.open_text(data.pop("payload"), "app"))
        data["history"] = json.loads(data["history"])
        return ApplicationRecord.from_parts(data, payload)

    async def save(self, record: ApplicationRecord) -> None:
        """Store a new record whole; afterwards its status changes only through `set_status`."""
        score = datetime.fromisoformat(record.created_at).timestamp()
        horizon = clock.now().timestamp() - self.ttl
        key, by_user = self._key(record.id), self._user_index(record.user_key)
        by_township = self._township_index(record.township_code)

        async def write() -> None:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                pipe.hset(key, mapping=self._fields(record))
                pipe.expire(key, self.ttl)
                for index in (by_user, by_township):
                    pipe.zadd(index, {record.id: score})
                    pipe.zremrangebyscore(index, "-inf", horizon)
                    pipe.expire(index, self.ttl)
                await pipe.execute()

        await guarded(write)

    async def get(self, app_id: str) -> ApplicationRecord | None:
        raw = await guarded(lambda: self.redis.hgetall(self._key(app_id)))
        return self._record(raw) if raw else None

    async def _from_index(self, index: str) -> list[ApplicationRecord]:
        ids = [_text(i) for i in await guarded(lambda: self.redis.zrevrange(index, 0, -1))]
        records: list[ApplicationRecord] = []
        gone: list[str] = []
        for app_id in ids:
            record = await self.get(app_id)
            if record is None:
                gone.append(app_id)
            else:
                records.append(record)
        if gone:  # expired or deleted records: drop their index entries
            await guarded(lambda: self.redis.zrem(index, *gone))
        return records

    async def for_user(self, user: str) -> list[ApplicationRecord]:
        """The resident's records, newest first."""
        return await self._from_index(self._user_index(self.sealer.pseudonym(user)))

    async def for_township(self, township_code: str) -> list[ApplicationRecord]:
        """A township's records, newest first."""
        return await self._from_index(self._township_index(township_code))

    async def set_status(self, app_id: str, status: Status, note: Mapping[str, str] | None = None) -> None:
        """Record a new status (appended to the history with `note`, e.g. who took it on and how).

        The one way a status changes: WATCH/MULTI, so two writers (a staff take, the outbox worker)
        never overwrite each other's entry; a record that is gone is left gone."""
        key = self._key(app_id)

        async def update() -> None:
            async with self.redis.pipeline(transaction=True) as pipe:
                for _ in range(_SET_STATUS_ATTEMPTS):
                    try:
                        await pipe.watch(key)
                        raw = await pipe.hget(key, "history")
                        if raw is None:
                            await pipe.unwatch()
                            return
                        at = now_iso()
                        entry = {**(note or {}), "status": str(status), "at": at}
                        history = [*json.loads(_text(raw)), entry]
                        pipe.multi()
                        pipe.hset(key, mapping={"status": str(status), "updated_at": at,
                                                "history": json.dumps(history)})
                        await pipe.execute()
                        return
                    except WatchError:
                        continue
                raise WatchError("application status kept changing")

        await guarded(update)

    async def delete_user(self, user: str) -> int:
        """Delete every record of the resident and its index entries; returns how many records went."""
        user_key = self.sealer.pseudonym(user)
        index = self._user_index(user_key)
        ids = [_text(i) for i in await guarded(lambda: self.redis.zrange(index, 0, -1))]
        deleted = 0
        for app_id in ids:
            code = await guarded(lambda app_id=app_id: self.redis.hget(self._key(app_id), "township_code"))
            deleted += int(await guarded(lambda app_id=app_id: self.redis.delete(self._key(app_id))))
            if code is not None:
                await guarded(lambda app_id=app_id, code=code:
                              self.redis.zrem(self._township_index(_text(code)), app_id))
        await guarded(lambda: self.redis.delete(index))
        return deleted
