"""Shared test helpers for applications: a stored screening result, a fake hand-off, services, chat.

The screening result goes through the questionnaire's own store (`bot.screening_results`), sealed
in Redis like a real one, so privacy scans see realistic data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.application.identity import check_digit
from bot.application.model import ApplicationRecord, Status
from bot.application.store import ApplicationStore
from bot.dialogs.base import Reply
from bot.engine import Engine, Message
from bot.services import Services, build_services
from bot.settings import Settings

NAME = "李秀英"
ID_BODY = "53042819550315002"
ID_NUMBER = ID_BODY + check_digit(ID_BODY)
PHONE = "13988776655"
INCOME = 4817.25  # an unusual amount; "." never occurs in sealed (base64url) data

SCREENING_RESULT: dict[str, Any] = {
    "as_of": "2025-08-01",
    "household": {
        "hukou": "yuanjiang",
        "area": "rural",
        "financial_assets": 2000,
        "members": [
            {"relation": "applicant", "age": 70, "disability_type": "physical", "disability_grade": 2,
             "able_to_work": False, "monthly_income": INCOME},
            {"relation": "spouse", "age": 68, "serious_illness": True, "able_to_work": None,
             "monthly_income": 0},
        ],
        "supporter": "unable",
    },
    "results": [
        {"program": "dibao", "name": "最低生活保障（低保）", "status": "likely", "refs": [1, 2, 18]},
        {"program": "tekun", "name": "特困人员救助供养", "status": "unlikely", "refs": [1]},
        {"program": "linshi", "name": "临时救助", "status": "possible", "refs": [11]},
    ],
}


def id_with_check(body17: str) -> str:
    return body17 + check_digit(body17)


@dataclass
class Outcome:
    status: Status
    detail: str = "fake"


@dataclass
class FakeHandoff:
    """Moves the record to `status` in the store like the real adapters, or raises `error`."""

    store: ApplicationStore
    status: Status = Status.GENERATED
    error: Exception | None = None
    forgotten: int = 0
    handed: list[str] = field(default_factory=list)
    forgot: list[str] = field(default_factory=list)

    async def hand_off(self, record: ApplicationRecord) -> Outcome:
        if self.error is not None:
            raise self.error
        self.handed.append(record.id)
        await self.store.set_status(record.id, self.status)
        return Outcome(self.status)

    async def forget_user(self, user: str) -> int:
        self.forgot.append(user)
        return self.forgotten


def make_services(redis: Any, **overrides: Any) -> Services:
    settings = Settings(_env_file=None, public_base_url="https://assist.example.cn", **overrides)
    services = build_services(settings, redis=redis)
    return services


async def put_screening(services: Services, user: str, result: dict[str, Any] | None = None) -> None:
    """Store a questionnaire result as the screening flow would (sealed, with its TTL)."""
    store = services.screenings
    await store.save(user, result or SCREENING_RESULT)


async def say(engine: Engine, user: str, text: str, **message: Any) -> list[Reply]:
    return await engine.handle(Message(user=user, text=text, **message))


def joined(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


# The answers of a complete 生成申请 run after the flow has started.
ANSWERS = (NAME, ID_NUMBER, PHONE, "3", "东峨村委会", "同意", "同意")


async def apply(engine: Engine, user: str, answers: tuple[str, ...] = ANSWERS) -> list[Reply]:
    """Run 生成申请 to the end; returns the final replies (the one with the page link)."""
    await say(engine, user, "生成申请")
    replies: list[Reply] = []
    for answer in answers:
        replies = await say(engine, user, answer)
    return replies


def make_app(services: Services) -> Any:
    """The real application with the page router added (as the lead will wire it)."""
    from bot.app import create_app
    from bot.application.routes import router

    app = create_app(services.settings, services)
    app.include_router(router)
    return app


def path_of(url: str | None) -> str:
    assert url is not None
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
