"""Rate limits shared by all workers: per resident (messages, reports, applications), per address."""

from __future__ import annotations

import asyncio
import re
import secrets

import httpx
import redis.asyncio as aioredis

from bot.app import create_app
from bot.engine import Engine, Message
from bot.knowledge import KnowledgeBase
from bot.services import Services, build_services
from bot.settings import Settings
from bot.templates import Templates
from tests.application.support import apply, make_services, put_screening
from tests.servers import Server
from tests.test_webhook import content_of, signed, text_xml

KB = KnowledgeBase.from_directory()


def is_slow_down(reply: str) -> bool:
    """The slow-down template, rendered with some wait (which it must state)."""
    wait = re.search(r"\d+", reply)
    if wait is None:
        return False
    n = int(wait.group())
    return reply in {Templates().render("chat/slow_down.txt", seconds=s, minutes=m)
                     for s, m in ((n, 1), (90, n))}


async def test_one_resident_flooding_two_workers_gets_30_a_minute_and_others_none(
        worker_pair: list[Server], redis_client: aioredis.Redis) -> None:
    servers = worker_pair
    async with httpx.AsyncClient(timeout=30) as http:
        async def send(server: Server, user: str, msg_id: int) -> str:
            response = await http.post(server.url + "/wechat", params=signed(),
                                       content=text_xml("帮助", msg_id=str(msg_id), user=user))
            return content_of(response.text)

        flooder, calm = "oFlood" + secrets.token_hex(3), "oCalm" + secrets.token_hex(3)
        flood = await asyncio.gather(*(send(servers[i % 2], flooder, 9000 + i) for i in range(45)))
        calm_replies = [await send(server, calm, 9900 + i) for i, server in enumerate(servers)]
    normal = calm_replies[0]
    assert calm_replies == [normal, normal] and not is_slow_down(normal)
    assert flood.count(normal) == 30  # RATE_LIMIT_MESSAGES=30/minute across both workers
    slowed = [reply for reply in flood if reply != normal]
    assert len(slowed) == 15 and all(map(is_slow_down, slowed))


async def test_reports_per_day_are_limited(redis_client: aioredis.Redis) -> None:
    settings = Settings(app_env="test", staff_users="u:530428001:scrypt$x", rate_limit_reports="2/day",
                        _env_file=None)
    services = build_services(settings, redis=redis_client, knowledge=KB)
    engine = Engine(services)

    steps = ("报告困难群众", "村里独居的王大爷", "1", "新寨村", "房子漏雨，没人照顾", "跳过", "是")
    too_many = services.templates.render("chat/report/too_many.txt")

    async def report(user: str, before_confirm: int = 0) -> list[str]:
        replies = []
        for text in steps:
            if text == "是":
                for _ in range(before_confirm):  # reports filed meanwhile, e.g. on another worker
                    await services.limits.hit("reports", user)
            replies.append((await engine.handle(Message(user=user, text=text)))[-1].text)
        return replies

    await report("oReporter")
    await report("oReporter")
    third = await report("oReporter")
    assert third[0] == too_many  # refused at the start, not after all the questions
    assert len(await services.applications.for_township("530428001")) == 2
    late = await report("oSecond", before_confirm=2)
    assert late[-1] == too_many  # counted atomically when filing: the limit holds under races
    await report("oNeighbour")  # another resident is unaffected
    assert len(await services.applications.for_township("530428001")) == 3


async def test_the_api_is_limited_per_source_address(services: Services) -> None:
    services.settings = Settings(app_env="test", rate_limit_api="3/minute", _env_file=None)
    rebuilt = build_services(services.settings, redis=services.redis, knowledge=KB)
    app = create_app(rebuilt.settings, rebuilt)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as c:
        async def ask(address: str) -> httpx.Response:
            return await c.post("/api/v1/ask", json={"question": "低保怎么申请"},
                                headers={"X-Forwarded-For": address})  # the ASGI peer is a trusted proxy

        assert [(await ask("203.0.113.7")).status_code for _ in range(3)] == [200, 200, 200]
        refused = await ask("203.0.113.7")
        assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
        assert (await ask("203.0.113.8")).status_code == 200


async def test_applications_per_day_are_limited(redis_client: aioredis.Redis) -> None:
    services = make_services(redis_client, rate_limit_applications="1/day")
    engine = Engine(services)
    await put_screening(services, "oApplicant")
    first = await apply(engine, "oApplicant")
    assert first[-1].url  # the application and its page link
    again = await engine.handle(Message(user="oApplicant", text="生成申请"))
    assert again[0].text == services.templates.render("chat/application/too_many.txt")
    assert len(await services.applications.for_user("oApplicant")) == 1
