"""One clock: the chat and the API agree on "today" in Asia/Shanghai, on any host's time zone."""

from __future__ import annotations

import ast
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakeredis import FakeAsyncRedis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot import clock
from bot.api.screen import router
from bot.engine import Engine, Message
from bot.knowledge import KnowledgeBase
from bot.services import build_services
from bot.settings import Settings

BOT = Path(__file__).resolve().parents[1] / "bot"
# 00:30 on 1 July in Beijing, still 30 June on a UTC host: the day a new standard applies.
NEW_STANDARDS_NIGHT = datetime(2026, 6, 30, 16, 30, tzinfo=UTC)


@pytest.fixture
def utc_host_after_midnight_in_beijing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clock, "source", lambda: NEW_STANDARDS_NIGHT)
    yield
    monkeypatch.undo()
    time.tzset()


def test_today_is_beijings_date(utc_host_after_midnight_in_beijing) -> None:
    assert clock.today().isoformat() == "2026-07-01"
    assert clock.now().utcoffset().total_seconds() == 8 * 3600
    assert clock.local(NEW_STANDARDS_NIGHT.timestamp()).strftime("%m-%d %H:%M") == "07-01 00:30"


async def test_chat_and_api_screen_against_the_same_day(utc_host_after_midnight_in_beijing) -> None:
    services = build_services(Settings(_env_file=None), redis=FakeAsyncRedis(),
                              knowledge=KnowledgeBase.from_directory())
    engine, user = Engine(services), "oClockTester00000001"
    for text in ("自测", "同意", "元江农村", "七十", "就我一个 老伴走了 没儿没女", "没有", "一个月三四百"):
        await engine.handle(Message(user=user, text=text))
    for _ in range(20):
        if (await services.screenings.load(user)) is not None:
            break
        state = (await services.sessions.load(user)).flow
        await engine.handle(Message(user=user, text="对" if state and state.step == "summary" else "没有"))
    stored = await services.screenings.load(user)
    assert stored is not None and stored["as_of"] == "2026-07-01"

    app = FastAPI()
    app.include_router(router)
    body = TestClient(app).post("/api/v1/screen", json={"members": [{"relation": "applicant"}]}).json()
    assert body["as_of"] == stored["as_of"]


def test_nothing_else_reads_the_wall_clock_for_a_date() -> None:
    """`date.today()`, `datetime.now()`, `fromtimestamp` and zone objects only in bot/clock.py."""
    found = []
    for path in BOT.rglob("*.py"):
        if path.name == "clock.py" and path.parent == BOT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"today", "now", "utcnow", "fromtimestamp"}:
                base = node.value
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name in {"date", "datetime"}:
                    found.append(f"{path.relative_to(BOT)}:{node.lineno}")
            elif isinstance(node, ast.Name) and node.id == "ZoneInfo":
                found.append(f"{path.relative_to(BOT)}:{node.lineno}")
    assert found == []
