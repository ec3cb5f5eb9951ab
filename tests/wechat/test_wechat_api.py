"""The Tencent API seam (bot/wechat/api.py, on wechatpy) against a fake API server on loopback."""

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.wechat.api import WeChatAPI, authorize_url, oauth_openid
from bot.wechat.errors import APIError, WeChatError

SECRET = "fake-secret"
OPENID = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"


@contextmanager
def opened(fake: Any, redis_client: Any, secret: str = SECRET) -> Iterator[WeChatAPI]:
    api = WeChatAPI(fake.appid, secret, redis_client, base_url=fake.base_url)
    try:
        yield api
    finally:
        api.close()


def token_key(appid: str) -> str:
    return f"wx:token:{appid}_access_token"  # wechatpy's RedisStorage key under our prefix


async def test_token_is_cached_in_redis_with_a_margin(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    with opened(fake_wechat, redis_pair[0]) as api:
        token = await api.access_token()
        assert token == fake_wechat.token
        assert await api.access_token() == token
    assert json.loads(redis_pair[0].get(token_key(fake_wechat.appid))) == token
    assert 6800 < redis_pair[0].ttl(token_key(fake_wechat.appid)) <= 6900
    assert fake_wechat.token_fetches == 1


async def test_one_token_shared_by_two_workers(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    with opened(fake_wechat, redis_pair[0]) as first, opened(fake_wechat, redis_pair[1]) as second:
        tokens = await asyncio.gather(*(api.access_token() for api in (first, second) * 10))
        await first.send_text(OPENID, "第一条")
        await second.send_text(OPENID, "第二条")
    assert set(tokens) == {fake_wechat.token}
    assert fake_wechat.token_fetches == 1
    assert [m["text"]["content"] for m in fake_wechat.sent] == ["第一条", "第二条"]


async def test_a_token_another_worker_fetched_is_used_as_is(
    fake_wechat: Any, redis_pair: tuple[Any, Any]
) -> None:
    with opened(fake_wechat, redis_pair[0]) as first:
        await first.access_token()
    with opened(fake_wechat, redis_pair[1]) as second:  # a worker started later
        await second.send_text(OPENID, "x")
        assert await second.access_token() == fake_wechat.token
    assert fake_wechat.token_fetches == 1


async def test_send_text_payload(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    with opened(fake_wechat, redis_pair[0]) as api:
        await api.send_text(OPENID, "您的申请表已生成]]>\n请查看")
    assert fake_wechat.sent == [
        {"touser": OPENID, "msgtype": "text", "text": {"content": "您的申请表已生成]]>\n请查看"}}
    ]
    assert "您的申请表".encode() in fake_wechat.raw_bodies[0]  # UTF-8, not \\u escapes


async def test_revoked_token_is_dropped_and_the_call_retried(
    fake_wechat: Any, redis_pair: tuple[Any, Any]
) -> None:
    with opened(fake_wechat, redis_pair[0]) as api:
        await api.access_token()
        fake_wechat.invalidate_token()
        await api.send_text(OPENID, "重试")
        assert await api.access_token() == fake_wechat.token
    assert fake_wechat.token_fetches == 2
    assert len(fake_wechat.sent) == 1


async def test_a_worker_that_finds_a_fresh_token_does_not_refresh_again(
    fake_wechat: Any, redis_pair: tuple[Any, Any]
) -> None:
    with opened(fake_wechat, redis_pair[0]) as first, opened(fake_wechat, redis_pair[1]) as second:
        await first.access_token()
        await second.access_token()
        fake_wechat.invalidate_token()
        await first.send_text(OPENID, "一")  # refreshes
        await second.send_text(OPENID, "二")  # refused once, then finds first's new token
    assert fake_wechat.token_fetches == 2
    assert len(fake_wechat.sent) == 2


async def test_expired_token_is_retried_only_once(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    fake_wechat.always_expired = True
    with opened(fake_wechat, redis_pair[0]) as api, pytest.raises(APIError) as raised:
        await api.send_text(OPENID, "x")
    assert raised.value.errcode == 42001
    assert fake_wechat.token_fetches == 2


@pytest.mark.parametrize("errcode", [45015, 45047])
async def test_send_text_refusals(fake_wechat: Any, redis_pair: tuple[Any, Any], errcode: int) -> None:
    fake_wechat.send_errors.append(errcode)
    with opened(fake_wechat, redis_pair[0]) as api:
        with pytest.raises(APIError) as raised:
            await api.send_text(OPENID, "晚到的回复")
        assert raised.value.errcode == errcode
        assert OPENID not in str(raised.value) and "晚到" not in str(raised.value)
        await api.send_text(OPENID, "下一条")
    assert fake_wechat.token_fetches == 1
    assert [m["text"]["content"] for m in fake_wechat.sent] == ["下一条"]


async def test_wrong_secret(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    with opened(fake_wechat, redis_pair[0], secret="wrong") as api, pytest.raises(APIError) as raised:
        await api.access_token()
    assert raised.value.errcode == 40125
    assert "wrong" not in str(raised.value)
    assert redis_pair[0].get(token_key(fake_wechat.appid)) is None
    assert redis_pair[0].get(f"wx:token:{fake_wechat.appid}:lock") is None


async def test_oauth_openid(fake_wechat: Any) -> None:
    fake_wechat.oauth_codes["code-1"] = OPENID
    assert await oauth_openid(fake_wechat.appid, SECRET, "code-1", base_url=fake_wechat.base_url) == OPENID
    with pytest.raises(APIError) as raised:  # codes are single-use
        await oauth_openid(fake_wechat.appid, SECRET, "code-1", base_url=fake_wechat.base_url)
    assert raised.value.errcode == 40029


async def test_oauth_openid_of_an_odd_shape_is_refused(fake_wechat: Any) -> None:
    fake_wechat.oauth_codes["code-2"] = "evil user:1"
    with pytest.raises(APIError, match="openid"):
        await oauth_openid(fake_wechat.appid, SECRET, "code-2", base_url=fake_wechat.base_url)


def test_authorize_url_is_silent_snsapi_base() -> None:
    url = urlsplit(authorize_url("wxb11529c136998cb6", "https://assist.example.cn/a/t?x=1", state="a"))
    query = parse_qs(url.query)
    assert (url.netloc, url.path, url.fragment) == ("open.weixin.qq.com", "/connect/oauth2/authorize",
                                                    "wechat_redirect")
    assert query == {"appid": ["wxb11529c136998cb6"], "redirect_uri": ["https://assist.example.cn/a/t?x=1"],
                     "response_type": ["code"], "scope": ["snsapi_base"], "state": ["a"]}


async def test_http_error_and_unreachable_server(
    fake_wechat: Any, redis_pair: tuple[Any, Any], closed_port: int
) -> None:
    fake_wechat.http_status = 502
    with opened(fake_wechat, redis_pair[0]) as api, pytest.raises(APIError, match="HTTP 502") as raised:
        await api.access_token()
    assert raised.value.errcode is None
    api = WeChatAPI("wxappid", SECRET, redis_pair[0], base_url=f"http://127.0.0.1:{closed_port}")
    try:
        with pytest.raises(APIError, match="ConnectionError") as unreachable:
            await api.send_text(OPENID, "x")
    finally:
        api.close()
        redis_pair[0].delete(token_key("wxappid"))
    # requests' own error names the URL, whose query carries the secret: it must not travel along.
    assert SECRET not in str(unreachable.value) and unreachable.value.__cause__ is None
    assert unreachable.value.__suppress_context__


async def test_an_answer_that_is_not_json(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    fake_wechat.not_json = True  # wechatpy alone would return the page as if it were a success
    with opened(fake_wechat, redis_pair[0]) as api, pytest.raises(APIError, match="not JSON"):
        await api.create_menu({"button": []})
    assert fake_wechat.token_fetches == 1


async def test_create_menu(fake_wechat: Any, redis_pair: tuple[Any, Any]) -> None:
    menu = {"button": [{"type": "click", "name": "政策问答", "key": "qa"}]}
    with opened(fake_wechat, redis_pair[0]) as api:
        await api.create_menu(menu)
    assert fake_wechat.menus == [menu]
    assert json.loads(fake_wechat.raw_bodies[0]) == menu


async def test_redis_down_is_an_api_error(fake_wechat: Any, closed_port: int) -> None:
    client = redis.Redis(port=closed_port, socket_connect_timeout=0.3, retry=Retry(NoBackoff(), 0))
    try:
        with opened(fake_wechat, client) as api, pytest.raises(APIError, match="cache unavailable") as raised:
            await api.send_text(OPENID, "x")
    finally:
        client.close()
    assert raised.value.errcode is None
    assert fake_wechat.token_fetches == 0


async def test_a_slow_tencent_call_does_not_block_the_event_loop(
    fake_wechat: Any, redis_pair: tuple[Any, Any]
) -> None:
    # The fake holds the send until the gate opens; only a coroutine on this event loop opens it.
    # Were the blocking call made on the loop, the gate would stay shut until the fake gave up.
    fake_wechat.gate = threading.Event()

    async def open_gate_while_sending() -> None:
        while not fake_wechat.released_by_gate and not fake_wechat.gate.is_set():
            await asyncio.sleep(0.01)
            if fake_wechat.token_fetches:  # the call is under way in its thread
                fake_wechat.gate.set()

    with opened(fake_wechat, redis_pair[0]) as api:
        await asyncio.gather(api.send_text(OPENID, "慢"), open_gate_while_sending())
    assert fake_wechat.released_by_gate == [True]
    assert [m["text"]["content"] for m in fake_wechat.sent] == ["慢"]


def test_appid_of_an_odd_shape_is_refused(redis_pair: tuple[Any, Any]) -> None:
    with pytest.raises(APIError):
        WeChatAPI("wx:evil key", SECRET, redis_pair[0])


def test_api_errors_share_the_service_root() -> None:
    from bot.errors import BotError

    assert issubclass(APIError, WeChatError) and issubclass(WeChatError, BotError)


async def test_the_late_sender_uses_the_shared_token(fake_wechat: Any, redis_url: str,
                                                     redis_client: Any) -> None:
    from types import SimpleNamespace

    from bot.app import _late_sender
    from bot.dialogs.base import Reply
    from bot.settings import Settings

    settings = Settings(app_env="test", _env_file=None, wechat_verified=True, wechat_secret=SECRET,
                        wechat_appid=fake_wechat.appid, wechat_api_base=fake_wechat.base_url,
                        redis_url=redis_url)
    shared = redis.Redis.from_url(redis_url)
    try:
        with opened(fake_wechat, shared) as other_worker:
            token = await other_worker.access_token()
        send = _late_sender(SimpleNamespace(settings=settings))  # type: ignore[arg-type]
        assert send is not None
        await send(OPENID, [Reply(text="晚到的答复", url="https://x.example/a/t", link_text="查看")])
        assert json.loads(shared.get(token_key(fake_wechat.appid))) == token
    finally:
        shared.close()
    assert fake_wechat.token_fetches == 1
    assert fake_wechat.sent == [{"touser": OPENID, "msgtype": "text",
                                 "text": {"content": '晚到的答复\n<a href="https://x.example/a/t">查看</a>'}}]


async def test_debug_logging_never_shows_the_secret_or_the_token(
    fake_wechat: Any, redis_pair: tuple[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from bot.logs import configure_logging

    root = logging.getLogger()
    level = root.level
    try:
        configure_logging("DEBUG")
        caplog.set_level(logging.DEBUG)
        with opened(fake_wechat, redis_pair[0]) as api:
            await api.send_text(OPENID, "x")
    finally:
        root.setLevel(level)
    assert fake_wechat.sent and caplog.records  # wechatpy did log, at INFO
    assert SECRET not in caplog.text and str(fake_wechat.token) not in caplog.text
