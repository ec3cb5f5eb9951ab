"""A Sentinel-managed primary fails over in the middle of a conversation and the bot keeps
answering: a primary, a replica and three sentinels on loopback; the primary is killed (SIGKILL,
as in a crash) between two answers of the questionnaire. While the sentinels elect the replica
every message still gets an answer within WeChat's window (the busy text at worst, never a 500),
and afterwards the conversation goes on from where it was on the new primary."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from bot.knowledge import KnowledgeBase
from bot.services import Services, build_services
from bot.storage import connect
from tests.test_webhook import content_of, make_settings, post, signed, text_xml
from tests.topologies import SentinelGroup, client, sentinel_group, wait_until

USER = "oSentinelResident1"


@pytest.fixture(scope="module")
def group() -> Iterator[SentinelGroup]:
    with sentinel_group() as running:
        yield running


@pytest.fixture
async def wired(group: SentinelGroup) -> AsyncIterator[tuple[Services, httpx.AsyncClient]]:
    from bot.app import create_app

    settings = make_settings(redis_url=group.url, redis_timeout=1.0)
    services = build_services(settings, redis=connect(settings.redis_url, settings.redis_timeout),
                              knowledge=KnowledgeBase.from_directory())
    app = create_app(settings, services)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx.test") as wx:
        yield services, wx
    await services.redis.aclose()


def test_the_url_names_the_sentinels_and_the_service(group: SentinelGroup) -> None:
    from bot.storage import Topology

    topology = Topology.parse(group.url)
    assert topology is not None and topology.kind == "sentinel"
    assert [port for _, port in topology.nodes] == [s.port for s in group.sentinels]


async def test_failover_mid_conversation(group: SentinelGroup,
                                         wired: tuple[Services, httpx.AsyncClient]) -> None:
    services, wx = wired
    busy = services.templates.render("chat/busy.txt").strip()
    counter = iter(range(8001, 9000))

    async def say(text: str) -> str:
        started = time.monotonic()
        response = await post(wx, text_xml(text, msg_id=str(next(counter)), user=USER),
                              **signed(openid=USER))
        assert response.status_code == 200 and time.monotonic() - started < 5.0
        return content_of(response.text).strip()

    assert await say("自测") != busy
    question = await say("同意")
    assert question != busy
    old_primary = group.primary_port()
    state = (await services.sessions.load(USER)).flow
    assert state is not None
    before = (state.name, state.step)
    # Replication is asynchronous: what the replica has not received when the primary dies is lost
    # (docs/deploy.md). Here it has everything, so the conversation must survive.
    assert client(old_primary).execute_command("WAIT", 1, 2000) == 1
    group.primary.kill()

    replies = []
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        replies.append(await say("帮助"))  # answered in any state; busy while there is no primary
        if replies[-1] != busy:
            break
        await asyncio.sleep(0.2)
    assert replies[-1] != busy, "no answer after the failover"
    wait_until(lambda: group.primary_port() != old_primary, what="the sentinels to name the new primary")
    assert group.primary_port() == group.replica.port
    state = (await services.sessions.load(USER)).flow
    assert state is not None and (state.name, state.step) == before  # the conversation survived
    assert await say("元江农村") != busy
    after = (await services.sessions.load(USER)).flow
    assert after is not None and after.name == before[0] and after.step != before[1]
