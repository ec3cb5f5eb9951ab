import asyncio
import contextlib
import secrets
from collections.abc import Callable

import httpx
import pytest
import redis.asyncio as aioredis

from bot.delivery import Delivery, Outcome
from bot.dialogs.base import Reply
from bot.engine import Engine, Message
from bot.services import Services
from bot.turns import Held
from tests.servers import running
from tests.test_webhook import content_of, event_xml, signed, text_xml


class SlowEngine(Engine):
    async def handle(self, message: Message, page_bytes: int | None = None) -> list[Reply]:
        await asyncio.sleep(0.3)
        return await super().handle(message, page_bytes)


async def test_late_reply_goes_through_the_customer_service_api(services: Services) -> None:
    sent: list[tuple[str, list[Reply]]] = []

    async def sender(user: str, replies: list[Reply]) -> None:
        sent.append((user, replies))

    delivery = Delivery(services, SlowEngine(services), deadline=0.05, late_sender=sender)
    outcome = await delivery.deliver("msg:1", Message(user="oLate", text="菜单", channel="wechat"), 2000)
    assert outcome.status == Outcome.LATE and not sent
    for _ in range(100):  # the turn finishes in the background (a first turn is slow on a busy machine)
        if sent:
            break
        await asyncio.sleep(0.05)
    assert sent and sent[0][0] == "oLate" and "主菜单" in sent[0][1][0].text


async def test_failed_turn_releases_the_claim(services: Services) -> None:
    class Broken(Engine):
        async def handle(self, message: Message, page_bytes: int | None = None) -> list[Reply]:
            raise RuntimeError("boom")

    delivery = Delivery(services, Broken(services), deadline=1.0)
    with contextlib.suppress(RuntimeError):
        await delivery.deliver("msg:2", Message(user="u", text="x"), None)
    assert [k async for k in services.redis.scan_iter("wx:dedup:*")] == []
    ok = Delivery(services, Engine(services), deadline=1.0)
    assert (await ok.deliver("msg:2", Message(user="u", text="菜单"), None)).status == Outcome.DONE


async def test_a_retry_waiting_on_a_released_claim_runs_the_turn_itself(services: Services) -> None:
    runs: list[str] = []

    class FailsFirst(Engine):  # fails inside its turn, holding the claim its turn took
        async def _turn(self, message: Message, page_bytes: int | None, held: Held) -> list[Reply]:
            runs.append(message.text)
            if len(runs) == 1:
                await asyncio.sleep(0.3)  # long enough for the retry to find the claim and wait
                raise RuntimeError("boom")
            return [Reply("the retry's own turn")]

    message = Message(user="u", text="x")
    first = asyncio.create_task(Delivery(services, FailsFirst(services), deadline=2.0).deliver(
        "msg:released", message, None))
    await asyncio.sleep(0.1)
    assert [k async for k in services.redis.scan_iter("wx:dedup:*")]  # the first delivery's claim
    second_worker = Delivery(services, FailsFirst(services), deadline=2.0)
    retry = await second_worker.deliver("msg:released", message, None)
    with pytest.raises(RuntimeError):
        await first
    assert retry.status == Outcome.DONE
    assert [r.text for r in retry.replies] == ["the retry's own turn"] and runs == ["x", "x"]


async def test_cached_reply_is_sealed(services: Services) -> None:
    delivery = Delivery(services, Engine(services), deadline=1.0)
    await delivery.deliver("msg:3", Message(user="u", text="联系我们"), None)
    keys = [k async for k in services.redis.scan_iter("wx:dedup:*")]
    assert len(keys) == 1
    assert "联系".encode() not in await services.redis.get(keys[0])
    assert 0 < await services.redis.ttl(keys[0]) <= services.settings.replay_ttl


async def test_the_claim_is_a_short_lease_and_the_reply_outlives_the_window(services: Services) -> None:
    class Paused(Engine):
        async def _turn(self, message: Message, page_bytes: int | None, held: Held) -> list[Reply]:
            await asyncio.sleep(0.3)
            return await super()._turn(message, page_bytes, held)

    delivery = Delivery(services, Paused(services), deadline=1.0)
    message = Message(user="u", text="菜单")
    turn = asyncio.create_task(delivery.deliver("msg:4", message, None, remember=400))
    await asyncio.sleep(0.1)
    [key] = [k async for k in services.redis.scan_iter("wx:dedup:*")]
    assert 0 < await services.redis.pttl(key) <= 2000  # mid-turn: lapses soon unless renewed
    assert (await turn).status == Outcome.DONE
    assert await services.redis.ttl(key) >= 399  # the reply: until the request's timestamp is stale


async def test_a_worker_killed_mid_turn_does_not_strand_the_message(redis_url: str,
                                                                    redis_client: aioredis.Redis) -> None:
    quick = {"WEBHOOK_DEADLINE": "1.5"}
    with running(redis_url, {**quick, "SLOW_SECONDS": "120"}, quick) as (doomed, survivor):
        async with httpx.AsyncClient(timeout=30) as http:
            user = "oKilled" + secrets.token_hex(4)
            start = event_xml("CLICK", "tally", user=user)
            await http.post(survivor.url + "/wechat", params=signed(), content=start)
            body, query = text_xml("慢x", msg_id="8101", user=user), signed()
            first = asyncio.create_task(http.post(doomed.url + "/wechat", params=query, content=body))
            for _ in range(100):  # until the doomed worker has claimed the message
                if [k async for k in redis_client.scan_iter("wx:dedup:*")]:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)
            doomed.kill()
            with contextlib.suppress(httpx.HTTPError):
                await first
            for _ in range(15):  # WeChat retries the same delivery; here on the surviving worker
                answer = await http.post(survivor.url + "/wechat", params=query, content=body)
                retry = content_of(answer.text)
                if retry.startswith("tally:"):
                    break
                await asyncio.sleep(1.0)
    assert retry == "tally:慢x"


async def test_a_turn_that_would_wait_past_its_deadline_for_a_slot_is_shed(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    class Busy(Engine):
        async def handle(self, message: Message, page_bytes: int | None = None) -> list[Reply]:
            await asyncio.sleep(1.0)
            return await super().handle(message, page_bytes)

    monkeypatch.setattr("bot.delivery.TURN_SLOTS", 1)  # the one slot is taken by the first turn
    delivery = Delivery(services, Busy(services), deadline=0.4)
    first, second = await asyncio.gather(
        delivery.deliver("msg:5", Message(user="u5", text="菜单"), None),
        delivery.deliver("msg:6", Message(user="u6", text="菜单"), None))
    assert first.status == Outcome.PROCESSING and second.status == Outcome.SHED
    shed_key = delivery.key("u6", "msg:6")
    assert not await services.redis.exists(shed_key)  # let go: WeChat's retry or a resend is served
    await asyncio.sleep(1.0)  # the first turn finishes in the background


async def test_past_the_in_flight_ceiling_deliveries_are_shed_before_any_redis_call(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.delivery.IN_FLIGHT", 1)
    delivery = Delivery(services, SlowEngine(services), deadline=1.0)
    first = asyncio.create_task(delivery.deliver("msg:7", Message(user="u7", text="菜单"), None))
    await asyncio.sleep(0.05)
    assert (await delivery.deliver("msg:8", Message(user="u8", text="菜单"), None)).status == Outcome.SHED
    assert (await first).status == Outcome.DONE
    shed_key = delivery.key("u8", "msg:8")
    assert not await services.redis.exists(shed_key)


async def test_a_retry_of_an_answered_message_costs_one_redis_round_trip(
    services: Services, redis_commands: Callable[[], list[tuple[object, ...]]]
) -> None:
    """The claim returns what holds the key: a retry reads the stored reply in the same command."""
    delivery = Delivery(services, Engine(services), deadline=1.0)
    message = Message(user="oRetry", text="菜单", channel="wechat")
    first = await delivery.deliver("msg:77", message, 2000)
    sent = redis_commands()
    retry = await delivery.deliver("msg:77", message, 2000)
    assert (retry.status, retry.replies) == (Outcome.DONE, first.replies)
    assert [args[0] for args in sent] == ["EVALSHA"]


async def test_a_message_costs_two_redis_round_trips_and_its_duplicate_the_same_answer(
    services: Services, redis_commands: Callable[[], list[tuple[object, ...]]]
) -> None:
    """The turn's entry script takes the message's claim and its exit script stores the reply: no
    round trip of the delivery's own. A duplicate that arrives meanwhile waits for that reply."""
    class Paused(Engine):
        async def _turn(self, message: Message, page_bytes: int | None, held: Held) -> list[Reply]:
            await asyncio.sleep(0.2)
            return await super()._turn(message, page_bytes, held)

    delivery = Delivery(services, Paused(services), deadline=2.0)
    await delivery.deliver("msg:warm", Message(user="oTwice", text="菜单"), 2000)  # a session exists
    sent = redis_commands()
    message = Message(user="oTwice", text="联系我们", channel="wechat")
    first = asyncio.create_task(delivery.deliver("msg:78", message, 2000))
    await asyncio.sleep(0.1)
    duplicate = await Delivery(services, Paused(services), deadline=2.0).deliver("msg:78", message, 2000)
    answered = await first
    assert answered.status == duplicate.status == Outcome.DONE and duplicate.replies == answered.replies
    first_turn = sent[:1] + sent[-1:]
    assert [args[0] for args in first_turn] == ["EVALSHA", "EVALSHA"]
    assert not [args for args in sent if args[0] in ("SET", "GET")]  # the claim rides in the scripts
