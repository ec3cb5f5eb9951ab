"""Conversation state as sealed JSON in Redis, always with a TTL.

State is plain data (the `Session` dataclass), never pickled objects. Keys carry a keyed
pseudonym of the user id as their hash tag (`sess:{…}`; one Redis Cluster slot per
resident), values are AES-GCM sealed, so a `SCAN` of Redis shows neither openids
nor answers. A second, longer-lived key keeps an unfinished resumable flow (the questionnaire) so
`继续` can bring it back for `RESUME_TTL` after the idle session itself has expired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

import redis.asyncio as aioredis

from bot.crypto import Sealer
from bot.storage import guarded, tag


@dataclass
class FlowState:
    """Where one flow stands: its current step, its answers and the steps behind it."""

    name: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    tries: int = 0


@dataclass
class Session:
    flow: FlowState | None = None
    # Numbered options last shown outside a flow: ("menu", keys) or ("clarify", entry ids).
    choice_kind: str | None = None
    choices: list[str] = field(default_factory=list)
    more: list[str] = field(default_factory=list)  # continuation chunks for 更多
    forget: bool = False  # set by 删除我的信息 for this turn: the engine saves nothing back
    # The resident's last message outside a flow ("我老伴中风了 家里恼火"): a flow that hears
    # stories (the questionnaire) takes the facts it gives instead of asking them again.
    said: str = ""

    def to_json(self) -> str:
        # The fields as they are (what `asdict` gives, without its deep copy of every answer: the
        # encoder reads them in place; a session holds only JSON values)
        fields = dict(vars(self), flow=None if self.flow is None else vars(self.flow))
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Session:
        raw = json.loads(text)
        flow = raw.pop("flow", None)
        return cls(flow=FlowState(**flow) if flow else None, **raw)


class SessionStore:
    def __init__(self, redis: aioredis.Redis, sealer: Sealer, ttl: int, resume_ttl: int) -> None:
        self.redis = redis
        self.sealer = sealer
        self.ttl = ttl
        self.resume_ttl = resume_ttl

    def _key(self, kind: str, user: str) -> str:
        return f"{kind}:{tag(self.sealer.pseudonym(user))}"

    def key(self, user: str) -> str:
        """The session's key, for a caller that reads and writes it in its own round trips (the
        turn queue's scripts); `opened` and `sealed` are the value's two directions."""
        return self._key("sess", user)

    def opened(self, raw: bytes | None) -> Session:
        return Session() if raw is None else Session.from_json(self.sealer.open_text(raw, "sess"))

    def sealed(self, session: Session) -> bytes:
        return self.sealer.seal(session.to_json(), "sess").encode()

    async def load(self, user: str) -> Session:
        return self.opened(cast(bytes | None, await guarded(lambda: self.redis.get(self.key(user)))))

    async def save(self, user: str, session: Session) -> None:
        sealed = self.sealed(session)
        await guarded(lambda: self.redis.set(self.key(user), sealed, ex=self.ttl))

    async def load_resume(self, user: str) -> FlowState | None:
        raw = await guarded(lambda: self.redis.get(self._key("resume", user)))
        if raw is None:
            return None
        return FlowState(**json.loads(self.sealer.open_text(raw, "resume")))

    async def save_resume(self, user: str, state: FlowState) -> None:
        sealed = self.sealer.seal(json.dumps(vars(state), ensure_ascii=False), "resume")
        await guarded(lambda: self.redis.set(self._key("resume", user), sealed, ex=self.resume_ttl))

    async def drop_resume(self, user: str) -> None:
        await guarded(lambda: self.redis.delete(self._key("resume", user)))

    async def save_scene(self, user: str, scene: str) -> None:
        """Remember the QR scene (e.g. a township's code) for as long as a resumable flow."""
        sealed = self.sealer.seal(scene, "scene")
        await guarded(lambda: self.redis.set(self._key("scene", user), sealed, ex=self.resume_ttl))

    async def load_scene(self, user: str) -> str | None:
        raw = await guarded(lambda: self.redis.get(self._key("scene", user)))
        return None if raw is None else self.sealer.open_text(raw, "scene")

    async def delete_all(self, user: str) -> int:
        """Forget the conversation, any resumable flow and the QR scene; returns how many keys went."""
        keys = [self._key(kind, user) for kind in ("sess", "resume", "scene")]
        return int(await guarded(lambda: self.redis.delete(*keys)))
