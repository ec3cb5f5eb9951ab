"""One resident's turns are serialised across worker processes, in arrival order, on every channel.

The processes run the real app (`tests/serve.py`) with the `tally` flow, which answers with every
text it has heard: a turn that loaded the session before another one saved it would lose a text.
"""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest
import redis.asyncio as aioredis

from bot.errors import Busy, Limited
from bot.ratelimit import Window
from bot.services import Services
from bot.turns import TurnQueue
from tests.servers import Server
from tests.test_webhook import content_of, event_xml, signed, text_xml


async def wechat(http: httpx.AsyncClient, server: Server, body: str) -> str:
    response = await http.post(server.url + "/wechat", params=signed(), content=body)
    assert response.status_code == 200
    return content_of(response.text)


def heard(reply: str) -> list[str]:
    return reply.removeprefix("tally:").split(",")


async def test_messages_sent_together_all_count_on_two_processes(worker_pair: list[Server],
                                                                  redis_client: aioredis.Redis) -> None:
    servers = worker_pair
    async with httpx.AsyncClient(timeout=30) as http:
        user = "oTally" + secrets.token_hex(4)
        await wechat(http, servers[0], event_xml("CLICK", "tally", user=user))
        texts = [f"m{i:02d}" for i in range(12)]
        await asyncio.gather(*(wechat(http, servers[i % 2], text_xml(t, msg_id=str(7100 + i), user=user))
                               for i, t in enumerate(texts)))
        final = await wechat(http, servers[1], text_xml("end", msg_id="7199", user=user))
    seen = heard(final)
    assert sorted(seen[:-1]) == texts and seen[-1] == "end"  # none lost, none twice


async def test_a_later_message_waits_for_the_earlier_one(worker_pair: list[Server],
                                                          redis_client: aioredis.Redis) -> None:
    servers = worker_pair
    async with httpx.AsyncClient(timeout=30) as http:
        user = "oOrder" + secrets.token_hex(4)
        await wechat(http, servers[0], event_xml("CLICK", "tally", user=user))
        first = asyncio.create_task(wechat(http, servers[0], text_xml("慢a", msg_id="7201", user=user)))
        await asyncio.sleep(0.4)  # "慢a" is mid-turn on the first worker now
        second = await wechat(http, servers[1], text_xml("b", msg_id="7202", user=user))
        assert heard(await first) == ["慢a"]
    assert heard(second) == ["慢a", "b"]


async def test_the_json_api_is_serialised_too(worker_pair: list[Server],
                                              redis_client: aioredis.Redis) -> None:
    servers = worker_pair
    async with httpx.AsyncClient(timeout=30) as http:
        async def chat(i: int, **body: str) -> list[str]:
            reply = await http.post(servers[i % 2].url + "/api/v1/chat", json={"user": "apiTally", **body})
            assert reply.status_code == 200
            return heard(reply.json()["replies"][0]["text"])

        await chat(0, key="tally")
        texts = [f"a{i:02d}" for i in range(10)]
        await asyncio.gather(*(chat(i, text=t) for i, t in enumerate(texts)))
        assert sorted((await chat(1, text="end"))[:-1]) == texts


async def test_waiting_for_a_turn_is_bounded(services: Services) -> None:
    release = asyncio.Event()

    async def hold() -> None:
        async with services.turns.turn("oBusy"):
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0.1)
    impatient = TurnQueue(services.redis, services.sealer, wait=0.3)
    with pytest.raises(Busy):
        async with impatient.turn("oBusy"):
            pass
    release.set()
    await holder
    async with impatient.turn("oBusy"):  # free again: the one that gave up left the queue
        pass
    async for key in services.redis.scan_iter("turn:*"):
        assert await services.redis.pttl(key) > 0


async def test_a_turn_reads_its_key_on_entry_and_writes_it_on_a_clean_exit(services: Services) -> None:
    key = services.sessions.key("oHeld")
    async with services.turns.turn("oHeld", key) as held:
        assert held.value is None
        held.write(b"first", 60)
        assert await services.redis.get(key) is None  # written as the turn leaves, not before
    assert await services.redis.get(key) == b"first"
    assert 0 < await services.redis.ttl(key) <= 60
    async with services.turns.turn("oHeld", key) as held:
        assert held.value == b"first"
    assert await services.redis.get(key) == b"first"  # nothing written: nothing changed


async def test_a_failed_turn_writes_nothing_and_frees_the_queue(services: Services) -> None:
    key = services.sessions.key("oFails")
    with pytest.raises(RuntimeError):
        async with services.turns.turn("oFails", key) as held:
            held.write(b"half-done", 60)
            raise RuntimeError("the engine failed")
    assert await services.redis.get(key) is None
    impatient = TurnQueue(services.redis, services.sealer, wait=0.3)
    async with impatient.turn("oFails", key) as held:  # not blocked by the failed turn
        assert held.value is None


async def test_a_message_limit_is_counted_as_the_turn_joins_and_refuses_before_joining(
        services: Services) -> None:
    limits, turns = services.limits, services.turns
    key = services.sessions.key("oLimited")
    window = limits.window("messages", turns.hash_tag("oLimited"))
    for n in range(window.amount):
        async with turns.turn("oLimited", key, window=window) as held:
            held.write(f"turn {n}".encode(), 60)
    with pytest.raises(Limited) as refused:
        async with turns.turn("oLimited", key, window=window):
            pytest.fail("a refused message must not run a turn")
    assert 1 <= refused.value.retry_after <= window.seconds
    assert await services.redis.get(key) == f"turn {window.amount - 1}".encode()
    assert await services.redis.llen(window.key) == window.amount
    async for queue in services.redis.scan_iter("turn:*"):  # the refused one never joined
        assert not await services.redis.lrange(queue, 0, -1)
    other = limits.window("messages", turns.hash_tag("oSomeoneElse"))
    async with turns.turn("oSomeoneElse", window=other):  # one resident's limit is their own
        pass


async def test_a_waiting_turn_counts_its_message_once(services: Services) -> None:
    window = services.limits.window("messages", services.turns.hash_tag("oPatient"))
    release = asyncio.Event()

    async def hold() -> None:
        async with services.turns.turn("oPatient", window=window):
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0.1)
    waiting = asyncio.create_task(_enter(services.turns, "oPatient", window))
    await asyncio.sleep(0.3)  # polls the queue's head many times meanwhile
    release.set()
    await asyncio.gather(holder, waiting)
    assert await services.redis.llen(window.key) == 2


async def _enter(turns: TurnQueue, user: str, window: Window) -> None:
    async with turns.turn(user, window=window):
        pass
