"""Hand-off adapters: what happens to an application once the resident has generated it.

No public API exists for submitting to the province's 一部手机办低保 (policy-facts §5), so the
county chooses one adapter with `HANDOFF`:

- `link` (default): the record is GENERATED; the resident submits it in 办事通 themselves.
- `http`: the record is GENERATED and queued in a Redis Streams outbox; a worker POSTs it to the
  county's intake endpoint and writes DELIVERED or FAILED back (`bot.handoff.outbox`, `.worker`).
- `township`: the record is HANDED_TO_TOWNSHIP and appears in the staff queue (`bot.staff`).

Each adapter reports the new status and a short template key in `HandoffResult.detail`, so the
chat can tell the resident plainly what happened ("已生成，请在办事通提交" is not "已提交").
Adapters take the stores they write to (the application store, the outbox), not the whole
`Services`, which builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis

from bot.application.model import ApplicationRecord, Status
from bot.application.store import ApplicationStore
from bot.crypto import Sealer
from bot.settings import Settings


@dataclass(frozen=True)
class HandoffResult:
    status: Status
    detail: str  # a template key / short code ("link", "queued", "township"); never personal data


class Handoff(Protocol):
    name: str

    async def hand_off(self, record: ApplicationRecord) -> HandoffResult: ...

    async def forget_user(self, user: str) -> int:
        """Delete this resident's outbox entries that were not delivered; returns how many."""
        ...


class _StatusHandoff:
    """An adapter whose whole job is one status change in the store."""

    name: str
    status: Status

    def __init__(self, applications: ApplicationStore) -> None:
        self.applications = applications

    async def hand_off(self, record: ApplicationRecord) -> HandoffResult:
        await self.applications.set_status(record.id, self.status)
        return HandoffResult(self.status, self.name)

    async def forget_user(self, user: str) -> int:
        return 0  # nothing held outside the application store, which deletes its own records


class LinkHandoff(_StatusHandoff):
    name = "link"
    status = Status.GENERATED


class TownshipHandoff(_StatusHandoff):
    name = "township"
    status = Status.HANDED_TO_TOWNSHIP


def make_handoff(settings: Settings, applications: ApplicationStore, redis: aioredis.Redis,
                 sealer: Sealer) -> Handoff:
    """The adapter named by `settings.handoff`; `redis` and `sealer` serve the http outbox."""
    if settings.handoff == "http":
        from bot.handoff.outbox import HttpHandoff, Outbox

        return HttpHandoff(applications, Outbox(redis, sealer, settings.draft_ttl))
    if settings.handoff == "township":
        return TownshipHandoff(applications)
    return LinkHandoff(applications)
