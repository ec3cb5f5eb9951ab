"""The Tencent API seam (bot/wechat/api.py) against a fake API server on loopback."""

import asyncio
import json
from typing import Any

import httpx
import pytest
import redis.asyncio as redis_asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from bot.wechat.api import WeChatAPI
from bot.wechat.errors import APIError

SECRET = "fake-secret"
OPENID = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"


def client(fake: Any, redis: Any, secret: str = SECRET) -> WeChatAPI:
    return WeChatAPI(fake.appid, secret, redis, base_url=fake.base_url)


async def test_token_is_cached_in_redis_with_a_margin(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    async with client(fake_wechat, redis_pair[0]) as api:
        token = await api.access_token()
        assert token == fake_wechat.token
        assert await api.access_token() == token
    stored = await redis_pair[0].get(f"wx:token:{fake_wechat.appid}")
    assert stored.decode() == token
    assert 6800 < await redis_pair[0].ttl(f"wx:token:{fake_wechat.appid}") <= 6900
    assert fake_wechat.token_fetches == 1


async def test_one_token_shared_by_two_workers(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    async with client(fake_wechat, redis_pair[0]) as first, client(fake_wechat, redis_pair[1]) as second:
        tokens = await asyncio.gather(*(api.access_token() for api in (first, second) * 10))
        await first.send_text(OPENID, "第一条")
        await second.send_text(OPENID, "第二条")
    assert set(tokens) == {fake_wechat.token}
    assert fake_wechat.token_fetches == 1
    assert [m["text"]["content"] for m in fake_wechat.sent] == ["第一条", "第二条"]


async def test_send_text_payload(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    async with client(fake_wechat, redis_pair[0]) as api:
        await api.send_text(OPENID, "您的申请表已生成]]>\n请查看")
    assert fake_wechat.sent == [
        {"touser": OPENID, "msgtype": "text", "text": {"content": "您的申请表已生成]]>\n请查看"}}
    ]
    assert "您的申请表".encode() in fake_wechat.raw_bodies[0]  # UTF-8, not \\u escapes


async def test_revoked_token_is_dropped_and_the_call_retried(
    fake_wechat: Any, redis_pair: tuple[Any, Any]
) -> None:
    async with client(fake_wechat, redis_pair[0]) as api:
        await api.access_token()
        fake_wechat.invalidate_token()
        await api.send_text(OPENID, "重试")
        assert await api.access_token() == fake_wechat.token
    assert fake_wechat.token_fetches == 2
    assert len(fake_wechat.sent) == 1


async def test_expired_token_is_retried_only_once(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    fake_wechat.always_expired = True
    async with client(fake_wechat, redis_pair[0]) as api:
        with pytest.raises(APIError) as raised:
            await api.send_text(OPENID, "x")
    assert raised.value.errcode == 42001
    assert fake_wechat.token_fetches == 2


@pytest.mark.parametrize("errcode", [45015, 45047])
async def test_send_text_refusals(fake_wechat: Any, redis_pair: tuple[Any, Any], errcode: int) -> None:
    fake_wechat.send_errors.append(errcode)
    async with client(fake_wechat, redis_pair[0]) as api:
        with pytest.raises(APIError) as raised:
            await api.send_text(OPENID, "晚到的回复")
        assert raised.value.errcode == errcode
        assert OPENID not in str(raised.value) and "晚到" not in str(raised.value)
        await api.send_text(OPENID, "下一条")
    assert fake_wechat.token_fetches == 1
    assert [m["text"]["content"] for m in fake_wechat.sent] == ["下一条"]


async def test_wrong_secret(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    async with client(fake_wechat, redis_pair[0], secret="wrong") as api:
        with pytest.raises(APIError) as raised:
            await api.access_token()
    assert raised.value.errcode == 40125
    assert "wrong" not in str(raised.value)
    assert await redis_pair[0].get(f"wx:token:{fake_wechat.appid}") is None
    assert await redis_pair[0].get(f"wx:token:{fake_wechat.appid}:lock") is None


async def test_oauth_openid(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    fake_wechat.oauth_codes["code-1"] = OPENID
    async with client(fake_wechat, redis_pair[0]) as api:
        assert await api.oauth_openid("code-1") == OPENID
        with pytest.raises(APIError) as raised:
            await api.oauth_openid("code-1")  # codes are single-use
    assert raised.value.errcode == 40029


async def test_http_error_and_unreachable_server(
    fake_wechat: Any, redis_pair: tuple[Any, Any], closed_port: int
) -> None:
    fake_wechat.http_status = 502
    async with client(fake_wechat, redis_pair[0]) as api:
        with pytest.raises(APIError, match="HTTP 502") as raised:
            await api.access_token()
    assert raised.value.errcode is None
    async with WeChatAPI("wxappid", SECRET, redis_pair[0], base_url=f"http://127.0.0.1:{closed_port}") as api:
        with pytest.raises(APIError, match="ConnectError"):
            await api.send_text(OPENID, "x")


async def test_custom_transport_and_non_json_answers(redis_pair: tuple[Any, Any]) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/cgi-bin/token":
            return httpx.Response(200, json={"access_token": "T", "expires_in": 7200})
        return httpx.Response(200, text="<html>not json</html>")

    api = WeChatAPI("wxmock", SECRET, redis_pair[0], transport=httpx.MockTransport(answer))
    try:
        with pytest.raises(APIError, match="not JSON"):
            await api.create_menu({"button": []})
    finally:
        await api.aclose()
        await redis_pair[0].delete("wx:token:wxmock")
    assert seen == ["/cgi-bin/token", "/cgi-bin/menu/create"]


async def test_create_menu(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    menu = {"button": [{"type": "click", "name": "政策问答", "key": "qa"}]}
    async with client(fake_wechat, redis_pair[0]) as api:
        await api.create_menu(menu)
    assert fake_wechat.menus == [menu]
    assert json.loads(fake_wechat.raw_bodies[0]) == menu


async def test_redis_down_is_an_api_error(fake_wechat: Any, closed_port: int) -> None:
    redis = redis_asyncio.Redis(port=closed_port, socket_connect_timeout=0.3, retry=Retry(NoBackoff(), 0))
    try:
        async with client(fake_wechat, redis) as api:
            with pytest.raises(APIError, match="cache unavailable") as raised:
                await api.send_text(OPENID, "x")
    finally:
        await redis.aclose()
    assert raised.value.errcode is None
    assert fake_wechat.token_fetches == 0
