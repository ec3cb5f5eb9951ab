import asyncio
import contextlib

from bot.delivery import Delivery, Outcome
from bot.dialogs.base import Reply
from bot.engine import Engine, Message
from bot.services import Services


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
    await asyncio.sleep(0.5)
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


async def test_cached_reply_is_sealed(services: Services) -> None:
    delivery = Delivery(services, Engine(services), deadline=1.0)
    await delivery.deliver("msg:3", Message(user="u", text="联系我们"), None)
    keys = [k async for k in services.redis.scan_iter("wx:dedup:*")]
    assert len(keys) == 1
    assert "联系".encode() not in await services.redis.get(keys[0])
    assert 0 < await services.redis.ttl(keys[0]) <= services.settings.dedup_ttl
