"""A server's first knowledge snapshot is built in the background: it listens meanwhile, says it is
not ready, answers residents busy (the danger reply still goes out), and serves once it arrives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from bot.knowledge import KnowledgeBase, base
from bot.knowledge.base import Starting
from bot.knowledge.snapshot import Snapshot, Sources, build_snapshot
from bot.rules.parameters import Parameters
from bot.services import build_services
from tests.test_webhook import client_for, content_of, make_settings, post, rendered, text_xml

FIXTURES = Path(__file__).parent / "fixtures" / "faq"


def gated(gate: threading.Event, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    """A knowledge base whose first build waits for `gate` (the seconds a real one takes)."""

    def build(sources: Sources, parameters: Callable[[], Parameters]) -> Snapshot:
        assert gate.wait(60)
        return build_snapshot(sources, parameters)

    monkeypatch.setattr(base, "build_snapshot", build)
    return KnowledgeBase.from_directory(FIXTURES, in_background=True)


def test_a_knowledge_base_built_in_the_background_is_busy_until_it_arrives(
        monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    kb = gated(gate, monkeypatch)
    assert not kb.ready
    with pytest.raises(Starting):
        kb.ask("低保怎么申请")
    assert kb.reload_if_changed(force=True) is False  # no reload races the first build
    gate.set()
    kb._first.join(60)
    assert kb.ready
    built_here = KnowledgeBase.from_directory(FIXTURES)
    assert kb.ask("低保怎么申请").to_dict() == built_here.ask("低保怎么申请").to_dict()


async def test_a_server_listens_while_its_knowledge_is_built(redis_client: aioredis.Redis,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    services = build_services(make_settings(), redis=redis_client, knowledge=gated(gate, monkeypatch))
    try:
        async with client_for(services) as client:
            assert (await client.get("/healthz")).text == "ok"
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.text == "warming up"
            question = await post(client, text_xml("低保怎么申请", msg_id="7001", user="oEarly"))
            assert content_of(question.text) == rendered("chat/busy.txt")
            danger = await post(client, text_xml("我家房子着火了 快来人", msg_id="7002", user="oEarly"))
            assert "119" in content_of(danger.text)
            gate.set()
            services.knowledge._first.join(60)  # type: ignore[union-attr]
            assert (await client.get("/readyz")).text == "ready"
            again = await post(client, text_xml("低保怎么申请", msg_id="7003", user="oEarly"))
            assert content_of(again.text) != rendered("chat/busy.txt")
    finally:
        gate.set()
