"""删除我的信息: confirmation first, then everything of this resident goes and links 404."""

import httpx
import pytest
import redis.asyncio as aioredis

from bot.app import create_app
from bot.application.routes import router
from bot.engine import Engine
from bot.services import Services
from bot.sessions import Session
from tests.application.support import (
    FakeHandoff,
    answered,
    apply,
    joined,
    make_services,
    put_screening,
    say,
)

USER = "oResidentOpenid0003"
OTHER = "oResidentOpenid0004"


@pytest.fixture
def services(redis_client: aioredis.Redis) -> Services:
    services = make_services(redis_client)
    services.handoff = FakeHandoff(services.applications, forgotten=1)
    return services


async def keys(services: Services) -> set[bytes]:
    return {key async for key in services.redis.scan_iter()}


async def test_cancel_keeps_everything(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await apply(engine, USER)
    before = await keys(services)
    [confirm] = await say(engine, USER, "删除我的信息")
    assert confirm.source == "chat/application/delete_confirm.txt" and "现有1份" in confirm.text
    assert await answered(engine, USER, "不删除") == ["chat/application/delete_cancelled.txt"]
    assert await keys(services) == before
    assert len(await services.applications.for_user(USER)) == 1


async def test_unclear_answer_deletes_nothing(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await say(engine, USER, "删除我的信息")
    assert await answered(engine, USER, "嗯嗯嗯再想想") == ["chat/application/delete_hint.txt"]
    assert await services.redis.exists(f"screen:{{{services.sealer.pseudonym(USER)}}}") == 1


async def test_confirm_deletes_everything_and_the_link_404s(services: Services) -> None:
    engine = Engine(services)
    for user in (USER, OTHER):
        await put_screening(services, user)
        final = await apply(engine, user)
    other_link = final[0].url
    link = (await apply(engine, USER))[0].url
    assert link and other_link
    app = create_app(services.settings, services)
    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        path = link.split("example.cn", 1)[1]
        assert (await client.get(path)).status_code == 200
        await say(engine, USER, "删除我的信息")
        done = joined(await say(engine, USER, "确认删除"))
        assert "申请和报告 2 份" in done and "未送达的待发送记录 1 条" in done and "匿名保存" in done
        assert services.handoff.forgot == [USER]
        assert (await client.get(path)).status_code == 404
        assert (await client.get(other_link.split("example.cn", 1)[1])).status_code == 200
    me = services.sealer.pseudonym(USER)
    mine = {k for k in await keys(services) if me.encode() in k}
    # Only the engine's re-saved conversation may remain, and it holds nothing; and the message
    # limit's window (hit times only, gone within its minute: deleting one's data does not reset it).
    window = services.limits.window("messages", services.turns.hash_tag(USER))
    if window.key.encode() in mine:
        assert 0 < await services.redis.ttl(window.key) <= window.seconds
    assert mine - {window.key.encode()} <= {f"sess:{{{me}}}".encode()}
    if f"sess:{{{me}}}".encode() in mine:
        raw = await services.redis.get(f"sess:{{{me}}}")
        assert Session.from_json(services.sealer.open_text(raw, "sess")) == Session()
    assert await services.applications.for_user(USER) == []
    assert len(await services.applications.for_user(OTHER)) == 1
    assert await services.redis.exists(f"screen:{{{services.sealer.pseudonym(OTHER)}}}") == 1
    assert await answered(engine, USER, "我的申请") == ["chat/application/my_none.txt"]
