"""The late sender (bot/app.py): a turn that overruns the webhook's deadline reaches the resident anyway.

Through the whole app: the webhook answers at once, the turn finishes in the background, and the
customer-service API carries the same one-message page, its link included, within WeChat's budget;
`更多` then reads on from the pages the late turn kept.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import redis
import redis.asyncio as aioredis

from bot.app import create_app
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.engine import Engine
from bot.paging import utf8_len
from bot.services import build_services
from bot.wechat.replies import TEXT_LIMIT
from tests.test_webhook import KB, content_of, event_xml, make_settings, signed, text_xml
from tests.wechat.conftest import SECRET

PAGE = "https://x.example/a/" + "t" * 120
LONG = "".join(f"第{i}条：申请低保要带户口簿和身份证。\n" for i in range(150))


class LinkFlow(Flow):
    """A long answer whose link has no text of its own (the link line then shows the address)."""

    name = "long_link"

    async def start(self, ctx: Context) -> Turn:
        return Turn([Reply(LONG), Reply("点下面的链接查看申请。", url=PAGE)], next_step=None)


async def test_an_overrun_turn_is_sent_through_the_customer_service_api(
    fake_wechat: Any, redis_client: aioredis.Redis, redis_base_url: str
) -> None:
    settings = make_settings(webhook_deadline=0.2, wechat_verified=True, wechat_secret=SECRET,
                             wechat_appid=fake_wechat.appid, wechat_api_base=fake_wechat.base_url,
                             redis_url=f"{redis_base_url}/15")
    services = build_services(settings, redis=redis_client, knowledge=KB)
    app = create_app(settings, services)
    engine: Engine = app.state.engine
    engine.flows["long_link"] = LinkFlow()
    original = engine.handle

    async def slow(message, page_bytes=None):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.5)
        return await original(message, page_bytes)

    engine.handle = slow  # type: ignore[method-assign]
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx") as client:
            first = await client.post("/wechat", params=signed(), content=event_xml("CLICK", "long_link"))
            assert first.status_code == 200 and "<xml>" not in first.text  # nothing passive: it is late
            for _ in range(50):
                if fake_wechat.sent:
                    break
                await asyncio.sleep(0.1)
            [sent] = fake_wechat.sent
            content = sent["text"]["content"]
            assert sent["touser"] == "oUser" and utf8_len(content) <= TEXT_LIMIT
            assert content.startswith("第0条") and content.endswith(f'<a href="{PAGE}">{PAGE}</a>')
            engine.handle = original  # type: ignore[method-assign]
            page = await client.post("/wechat", params=signed(nonce="more1"),
                                     content=text_xml("更多", msg_id="7001"))
            shown = sum(line.startswith("第") for line in content.split("\n"))
            assert content_of(page.text).startswith(f"第{shown}条")  # the late turn kept the rest
    finally:
        redis.Redis.from_url(f"{redis_base_url}/15").delete(f"wx:token:{fake_wechat.appid}_access_token")
