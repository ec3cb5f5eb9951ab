"""The last self-check result per resident, kept so the application flow can start from it.

Why: a resident who screened `likely` for 低保 should not answer the same questions again when
generating an application. The result holds sensitive data (disability, illness, income), so it
is sealed (AES-GCM, context "screen") under a pseudonymous key and expires after DRAFT_TTL;
`删除我的信息` removes it through `delete`.

Payload: {"as_of": iso date, "household": <the /api/v1/screen request shape>,
          "results": [{"program", "name", "status", "refs"}]}.
"""

from __future__ import annotations

import json
from typing import Any

import redis.asyncio as aioredis

from bot.crypto import Sealer
from bot.storage import guarded, tag

CONTEXT = "screen"


class ScreeningResults:
    def __init__(self, redis: aioredis.Redis, sealer: Sealer, ttl: int) -> None:
        self.redis = redis
        self.sealer = sealer
        self.ttl = ttl

    def _key(self, user: str) -> str:
        return f"{CONTEXT}:{tag(self.sealer.pseudonym(user))}"

    async def save(self, user: str, payload: dict[str, Any]) -> None:
        sealed = self.sealer.seal(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), CONTEXT)
        await guarded(lambda: self.redis.set(self._key(user), sealed, ex=self.ttl))

    async def load(self, user: str) -> dict[str, Any] | None:
        raw = await guarded(lambda: self.redis.get(self._key(user)))
        if raw is None:
            return None
        loaded: dict[str, Any] = json.loads(self.sealer.open_text(raw, CONTEXT))
        return loaded

    async def delete(self, user: str) -> int:
        return int(await guarded(lambda: self.redis.delete(self._key(user))))
