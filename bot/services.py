"""The shared services a request needs, built once per process from the settings.

Routes, the engine and flows receive this container instead of importing globals, so tests can
build one on any Redis (real, hung, refused) and the layers stay swappable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from bot.application.store import ApplicationStore
from bot.crypto import Sealer
from bot.handoff import Handoff, make_handoff
from bot.knowledge.misses import record_miss
from bot.phonebook import phonebook
from bot.ratelimit import RateLimits
from bot.safety.numbers import general_numbers
from bot.screening_results import ScreeningResults
from bot.sessions import SessionStore
from bot.settings import Settings
from bot.storage import connect
from bot.templates import Templates
from bot.townships import townships
from bot.turns import TurnQueue

if TYPE_CHECKING:
    from bot.knowledge import KnowledgeBase


def contact_details(settings: Settings) -> dict[str, Any]:
    """What templates may show about how to reach people: settings plus the township list."""
    return {
        "hotline": settings.hotline,
        "office_hours": settings.office_hours,
        "bureau_phone": settings.bureau_phone,
        "bureau_address": settings.bureau_address,
        "emergency_numbers": [n.number for n in general_numbers(settings.emergency_numbers)],
        "public": {key: {"number": p.number, "label": p.label} for key, p in phonebook().items()},
        "townships": townships(),
    }


@dataclass
class Services:
    settings: Settings
    redis: aioredis.Redis
    sealer: Sealer
    sessions: SessionStore
    templates: Templates
    limits: RateLimits
    turns: TurnQueue
    applications: ApplicationStore
    screenings: ScreeningResults  # the last self-check per resident, for the application flow
    handoff: Handoff  # chosen by HANDOFF
    knowledge: KnowledgeBase | None = None

    async def record_miss(self, question: str, status: str) -> bool:
        """Keep an unanswered question for staff, masked and sealed; never fails a reply.
        True when it was really kept (the reply may then say so)."""
        return await record_miss(self.redis, self.sealer, question, status)


def build_services(settings: Settings, redis: aioredis.Redis | None = None,
                   knowledge: KnowledgeBase | None = None) -> Services:
    client = redis if redis is not None else connect(settings.redis_url, settings.redis_timeout)
    sealer = Sealer.from_settings(settings.data_keys, settings.data_key_id, settings.secret_key)
    applications = ApplicationStore(client, sealer, settings.draft_ttl)
    return Services(
        settings=settings,
        redis=client,
        sealer=sealer,
        sessions=SessionStore(client, sealer, settings.session_ttl, settings.resume_ttl),
        templates=Templates({"contact": contact_details(settings)}),
        limits=RateLimits(client, sealer, settings),
        turns=TurnQueue(client, sealer),
        applications=applications,
        screenings=ScreeningResults(client, sealer, settings.draft_ttl),
        handoff=make_handoff(settings, applications, client, sealer),
        knowledge=knowledge,
    )
