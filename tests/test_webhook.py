"""The `/wechat` endpoint end to end: signatures, safe mode, de-duplication, limits, failures."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import redis.asyncio as aioredis

from bot.app import create_app
from bot.dialogs.intents import trained_intents
from bot.engine import Engine
from bot.knowledge import Answer, KnowledgeBase
from bot.safety.counts import PENDING
from bot.services import Services, build_services, contact_details
from bot.settings import Settings
from bot.storage import connect
from bot.templates import Templates
from bot.wechat.crypto import SafeModeCrypto
from bot.wechat.signature import make_signature

TOKEN = "pamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wxb11529c136998cb6"
KB = KnowledgeBase.from_directory()


def rendered(template: str, **values: object) -> str:
    """What `template` says with the test settings: tests check which text answered, not its words."""
    return Templates({"contact": contact_details(make_settings())}).render(template, **values)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"app_env": "test", "wechat_token": TOKEN, "wechat_appid": APPID,
                                 "_env_file": None}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def client_for(services: Services) -> httpx.AsyncClient:
    app = create_app(services.settings, services)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx.test")


def signed(timestamp: str | None = None, nonce: str = "n0nce", **extra: str) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    return {"signature": make_signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
            "openid": "oUser", **extra}


def text_xml(content: str, msg_id: str = "1001", user: str = "oUser") -> str:
    return (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{user}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]>"
            f"</MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def event_xml(event: str, key: str = "", user: str = "oUser", create: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{user}]]>"
            f"</FromUserName><CreateTime>{create or int(time.time())}</CreateTime><MsgType><![CDATA[event]]>"
            f"</MsgType><Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>")


def content_of(xml: str) -> str:
    match = re.search(r"<Content><!\[CDATA\[(.*)\]\]></Content>", xml, re.S)
    assert match, xml
    return match.group(1).replace("]]]]><![CDATA[>", "]]>")


@pytest.fixture
async def wx(redis_client: aioredis.Redis) -> AsyncIterator[httpx.AsyncClient]:
    services = build_services(make_settings(), redis=redis_client, knowledge=KB)
    async with client_for(services) as client:
        yield client


async def post(client: httpx.AsyncClient, body: str | bytes, **params: str) -> httpx.Response:
    return await client.post("/wechat", params=params or signed(), content=body)


async def test_url_verification(wx: httpx.AsyncClient) -> None:
    ok = await wx.get("/wechat", params={**signed(), "echostr": "hello123"})
    assert ok.status_code == 200 and ok.text == "hello123"
    bad = await wx.get("/wechat", params={**signed(), "signature": "0" * 40, "echostr": "hello123"})
    assert bad.status_code == 403 and "hello123" not in bad.text


async def test_url_verification_echoes_only_a_fresh_plain_token(wx: httpx.AsyncClient) -> None:
    # The signature covers neither echostr nor the page it makes: a signed URL seen once (a log, a
    # proxy) must not serve any text under the service's address, e.g. a fake notice with a phone.
    notice = "【民政局通知】请拨打0877-0000000"
    old = str(int(time.time()) - 3600)
    stale = await wx.get("/wechat", params={**signed(old), "echostr": "5838479218127813673"})
    assert stale.status_code == 403
    for echostr in (notice, "<script>x</script>", "a" * 200):
        response = await wx.get("/wechat", params={**signed(), "echostr": echostr})
        assert response.status_code == 403 and echostr not in response.text
    ok = await wx.get("/wechat", params={**signed(), "echostr": "5838479218127813673"})
    assert ok.text == "5838479218127813673" and ok.headers["x-content-type-options"] == "nosniff"


def test_official_plain_signature_vector() -> None:
    assert make_signature("pamtest", "1409304348", "xxxxxx") == "76480565cbe296026c53aaacd1ad523a1ddba24f"


async def test_text_message_gets_a_reply(wx: httpx.AsyncClient) -> None:
    response = await post(wx, text_xml("菜单"))
    assert response.status_code == 200
    assert "<ToUserName><![CDATA[oUser]]>" in response.text
    assert "主菜单" in content_of(response.text)


@pytest.mark.parametrize("signature,offset", [("0" * 40, 0), (None, -400), (None, 400), (None, None)])
async def test_bad_signature_or_timestamp_is_refused(
    wx: httpx.AsyncClient, signature: str | None, offset: int | None
) -> None:
    query = signed(timestamp="soon" if offset is None else str(int(time.time()) + offset))
    if signature:
        query["signature"] = signature
    response = await post(wx, text_xml("菜单"), **query)
    assert response.status_code == 403


async def test_retry_with_seen_nonce_is_accepted(wx: httpx.AsyncClient) -> None:
    query = signed(nonce="same")
    first = await post(wx, text_xml("帮助", msg_id="77"), **query)
    second = await post(wx, text_xml("帮助", msg_id="77"), **query)
    assert first.status_code == second.status_code == 200
    assert content_of(first.text) == content_of(second.text)


@pytest.mark.parametrize("body", [
    "not xml at all",
    "<xml><ToUserName>gh</ToUserName>",
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>gh</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>",
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><xml><Content>&lol3;</Content></xml>',
    "",
])
async def test_hostile_or_broken_bodies_get_success(wx: httpx.AsyncClient, body: str) -> None:
    response = await post(wx, body)
    assert (response.status_code, response.text) == (200, "success")


async def test_control_characters_are_dropped_and_the_rest_answered(wx: httpx.AsyncClient) -> None:
    nothing_left = content_of((await post(wx, text_xml("\x00", msg_id="2001"))).text)
    assert nothing_left == content_of((await post(wx, text_xml("", msg_id="2002"))).text)
    content = content_of((await post(wx, text_xml("hi\x1d there", msg_id="2003"))).text)
    assert content != nothing_left
    assert not [c for c in content if unicodedata.category(c) == "Cc" and c != "\n"]


async def test_body_limit_by_content_length(wx: httpx.AsyncClient) -> None:
    response = await post(wx, "<xml>" + "a" * (64 * 1024) + "</xml>")
    assert response.status_code == 413


async def test_body_limit_when_chunked(wx: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(80):
            yield b"a" * 1024

    response = await wx.post("/wechat", params=signed(), content=chunks())
    assert response.status_code == 413


@pytest.mark.parametrize("kind", ["image", "video", "location", "link"])
async def test_unsupported_kinds_explain_what_works(wx: httpx.AsyncClient, kind: str) -> None:
    body = (f"<xml><ToUserName>gh</ToUserName><FromUserName>oUser</FromUserName><CreateTime>1</CreateTime>"
            f"<MsgType>{kind}</MsgType><MsgId>55{len(kind)}</MsgId></xml>")
    assert content_of((await post(wx, body)).text) == rendered("chat/unsupported.txt")


async def test_voice_recognition_is_text_and_empty_asks_again(wx: httpx.AsyncClient) -> None:
    def voice(recognition: str, msg_id: str) -> str:
        return ("<xml><ToUserName>gh</ToUserName><FromUserName>oUser</FromUserName><CreateTime>1</CreateTime>"
                f"<MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format>"
                f"<Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{msg_id}</MsgId></xml>")

    assert "主菜单" in content_of((await post(wx, voice("菜单", "901"))).text)
    assert content_of((await post(wx, voice("", "902"))).text) == rendered("chat/voice_empty.txt")


async def test_events(wx: httpx.AsyncClient, redis_client: aioredis.Redis) -> None:
    welcome = await post(wx, event_xml("subscribe", "qrscene_530428003", create=11))
    assert "元江县" in content_of(welcome.text)
    assert [k async for k in redis_client.scan_iter("scene:*")]
    assert "联系我们" in content_of((await post(wx, event_xml("CLICK", "contact", create=12))).text)
    assert "元江县" in content_of((await post(wx, event_xml("SCAN", "530428001", create=13))).text)
    for event, create in (("VIEW", 14), ("LOCATION", 15), ("unsubscribe", 16)):
        assert (await post(wx, event_xml(event, create=create))).text == "success"


async def test_human_handoff_when_enabled(redis_client: aioredis.Redis) -> None:
    services = build_services(make_settings(wechat_transfer_enabled=True), redis=redis_client, knowledge=KB)
    async with client_for(services) as client:
        response = await post(client, text_xml("人工"))
    assert "<MsgType><![CDATA[transfer_customer_service]]></MsgType>" in response.text


class LongAnswer:
    """A knowledge base whose one answer is far longer than one WeChat message."""

    def __init__(self, text: str) -> None:
        self.text = text

    def ask(self, question: str) -> Answer:
        return Answer("answer", self.text, "long", (1,), 95.0, ())

    def answer_entry(self, entry_id: str) -> Answer:
        return self.ask(entry_id)


async def test_long_answer_is_split_for_wechat(redis_client: aioredis.Redis) -> None:
    sections = [f"第{n}条：低保对象的家庭收入、财产和生活状况每年复核一次。" for n in range(1, 121)]
    services = build_services(make_settings(), redis=redis_client,
                              knowledge=LongAnswer("\n".join(sections)))  # type: ignore[arg-type]
    parts: list[str] = []
    async with client_for(services) as client:
        parts.append(content_of((await post(client, text_xml("低保复核", msg_id="3000"))).text))
        while sections[-1] not in parts[-1] and len(parts) < 20:
            more = await post(client, text_xml("更多", msg_id=str(3000 + len(parts))))
            parts.append(content_of(more.text))
    assert len(parts) > 2 and sections[-1] in parts[-1]
    assert all(len(part.encode()) <= 2000 for part in parts)
    said = "\n".join(parts)
    assert all(section in said for section in sections)  # no section lost or cut at a page break


async def test_safe_mode_round_trip_and_tamper(redis_client: aioredis.Redis) -> None:
    services = build_services(make_settings(wechat_aes_key=AES_KEY), redis=redis_client, knowledge=KB)
    crypto = SafeModeCrypto(TOKEN, AES_KEY, APPID)
    ts, nonce = str(int(time.time())), "abc"
    envelope = crypto.encrypt(text_xml("帮助", msg_id="3001"), ts, nonce)
    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", envelope).group(1)
    params = {**signed(timestamp=ts, nonce=nonce), "encrypt_type": "aes", "msg_signature": msg_signature}
    async with client_for(services) as client:
        response = await client.post("/wechat", params=params, content=envelope)
        assert response.status_code == 200 and "<Encrypt>" in response.text
        reply_signature = re.search(r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", response.text).group(1)
        inner = crypto.decrypt(response.text, reply_signature, *re.findall(
            r"<TimeStamp>(?:<!\[CDATA\[)?(\d+)", response.text), *re.findall(
            r"<Nonce><!\[CDATA\[(\w+)\]\]>", response.text))
        assert "怎么用" in content_of(inner)
        at = envelope.index("<Encrypt>") + 30
        tampered = envelope[:at] + ("B" if envelope[at] == "A" else "A") + envelope[at + 1:]
        bad = await client.post("/wechat", params=params, content=tampered)
        assert bad.status_code == 403


async def test_three_concurrent_deliveries_on_two_instances(redis_client: aioredis.Redis) -> None:
    calls = 0
    settings = make_settings()
    one = build_services(settings, redis=redis_client, knowledge=KB)
    two = build_services(settings, redis=redis_client, knowledge=KB)
    apps = [create_app(settings, one), create_app(settings, two)]
    for app in apps:
        engine: Engine = app.state.engine
        original = engine._turn

        async def slow_turn(message, page_bytes, held, _original=original):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            await asyncio.sleep(0.3)
            return await _original(message, page_bytes, held)

        engine._turn = slow_turn  # type: ignore[method-assign]
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://wx") for a in apps]
    body, query = text_xml("联系我们", msg_id="424242"), signed()
    responses = await asyncio.gather(*(clients[i % 2].post("/wechat", params=query, content=body)
                                       for i in range(3)))
    for client in clients:
        await client.aclose()
    assert calls == 1
    contents = {content_of(r.text) for r in responses}
    assert len(contents) == 1 and "联系我们" in contents.pop()


async def test_overrun_answers_processing_and_retry_gets_the_reply(redis_client: aioredis.Redis) -> None:
    services = build_services(make_settings(webhook_deadline=0.2), redis=redis_client, knowledge=KB)
    app = create_app(services.settings, services)
    engine: Engine = app.state.engine
    original = engine._turn

    async def slow(message, page_bytes, held):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.5)
        return await original(message, page_bytes, held)

    engine._turn = slow  # type: ignore[method-assign]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx") as client:
        body, query = text_xml("联系我们", msg_id="5150"), signed()
        first = await client.post("/wechat", params=query, content=body)
        processing = rendered("chat/processing.txt")
        assert content_of(first.text) == processing
        for _ in range(50):  # WeChat retries every ~5 s; here, until the slow turn has finished
            await asyncio.sleep(0.2)
            retry = content_of((await client.post("/wechat", params=query, content=body)).text)
            if retry != processing:
                break
        assert "联系我们" in retry


@pytest.fixture
def hung_redis_url() -> Iterator[str]:
    """A TCP server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.mark.parametrize("kind", ["refused", "hung"])
async def test_redis_down_still_answers_fast(kind: str, hung_redis_url: str) -> None:
    url = refused_url() if kind == "refused" else hung_redis_url
    settings = make_settings(redis_url=url)
    services = build_services(settings, redis=connect(url, settings.redis_timeout), knowledge=KB)
    async with client_for(services) as client:
        started = time.monotonic()
        response = await post(client, text_xml("低保怎么申请", msg_id=str(900 + len(kind))))
        elapsed = time.monotonic() - started
        ready = await client.get("/readyz")
    assert response.status_code == 200 and content_of(response.text) == rendered("chat/busy.txt")
    assert elapsed < 4.5  # inside WeChat's 5 s even on a loaded CI machine (normally ~0.3 s)
    assert ready.status_code == 503


async def test_redis_down_danger_still_gets_the_emergency_numbers() -> None:
    url = refused_url()
    settings = make_settings(redis_url=url)
    services = build_services(settings, redis=connect(url, settings.redis_timeout), knowledge=KB)
    PENDING.clear()
    async with client_for(services) as client:
        response = await post(client, text_xml("我家房子着火了 快来人", msg_id="990"))
    assert response.status_code == 200 and "119" in content_of(response.text)
    assert list(PENDING.values()) == [1]  # counted in the process, for Redis when it is back
    PENDING.clear()


async def test_health_endpoints(wx: httpx.AsyncClient) -> None:
    assert (await wx.get("/healthz")).text == "ok"
    deadline = time.monotonic() + 60
    while (ready := await wx.get("/readyz")).text == "warming up" and time.monotonic() < deadline:
        await asyncio.sleep(0.1)  # a fresh worker trains its models first
    assert ready.status_code == 200


async def test_not_ready_while_the_models_train(wx: httpx.AsyncClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trained_intents(), "model", None)  # as in a worker's first seconds
    ready = await wx.get("/readyz")
    assert ready.status_code == 503 and ready.text == "warming up"
    assert (await wx.get("/healthz")).status_code == 200


async def test_engine_bug_answers_busy_not_500(redis_client: aioredis.Redis) -> None:
    services = build_services(make_settings(), redis=redis_client, knowledge=KB)
    app = create_app(services.settings, services)

    async def broken(message, page_bytes=None):  # type: ignore[no-untyped-def]
        raise ValueError("bug")

    app.state.engine.handle = broken
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx") as client:
        response = await client.post("/wechat", params=signed(), content=text_xml("菜单", msg_id="6060"))
    assert response.status_code == 200 and content_of(response.text) == rendered("chat/busy.txt")


def encrypted_post(crypto: SafeModeCrypto, xml: str, timestamp: str | None = None,
                   nonce: str = "abc") -> tuple[dict[str, str], str]:
    """The query and body WeChat sends in safe mode."""
    ts = timestamp or str(int(time.time()))
    envelope = crypto.encrypt(xml, ts, nonce)
    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", envelope).group(1)
    query = {**signed(timestamp=ts, nonce=nonce), "encrypt_type": "aes", "msg_signature": msg_signature}
    return query, envelope


async def test_safe_mode_refuses_a_plaintext_body_under_a_seen_url_signature(
        redis_client: aioredis.Redis) -> None:
    services = build_services(make_settings(wechat_aes_key=AES_KEY), redis=redis_client, knowledge=KB)
    assert services.settings.webhook_mode == "safe"  # the default once a key is set
    crypto = SafeModeCrypto(TOKEN, AES_KEY, APPID)
    seen = {**signed(), "echostr": "5838479218127813673"}  # e.g. the URL of one GET verification
    forged = text_xml("删除我的信息", msg_id="3101", user="oVictim")
    async with client_for(services) as client:
        assert (await client.post("/wechat", params=seen, content=forged)).status_code == 403
        as_if_aes = {**seen, "encrypt_type": "aes", "msg_signature": "0" * 40}
        assert (await client.post("/wechat", params=as_if_aes, content=forged)).status_code == 403
        query, envelope = encrypted_post(crypto, forged)
        assert (await client.post("/wechat", params={**query, "msg_signature": seen["signature"]},
                                  content=envelope)).status_code == 403
        genuine = await client.post("/wechat", params=query, content=envelope)
        assert genuine.status_code == 200 and "<Encrypt>" in genuine.text


async def test_compatible_mode_takes_both(redis_client: aioredis.Redis) -> None:
    settings = make_settings(wechat_aes_key=AES_KEY, wechat_mode="compatible")
    services = build_services(settings, redis=redis_client, knowledge=KB)
    crypto = SafeModeCrypto(TOKEN, AES_KEY, APPID)
    async with client_for(services) as client:
        plain = await post(client, text_xml("菜单", msg_id="3201"))
        assert "主菜单" in content_of(plain.text)
        query, envelope = encrypted_post(crypto, text_xml("菜单", msg_id="3202"))
        assert "<Encrypt>" in (await client.post("/wechat", params=query, content=envelope)).text


async def test_a_replay_inside_the_timestamp_window_is_not_processed_again(
        redis_client: aioredis.Redis) -> None:
    # The window and the minimum memory scaled down from 300 s: the memory must follow the
    # request's own timestamp, which here stays fresh 2 s longer than DEDUP_TTL.
    settings = make_settings(wechat_aes_key=AES_KEY, timestamp_window=3, dedup_ttl=3)
    services = build_services(settings, redis=redis_client, knowledge=KB)
    app = create_app(settings, services)
    turns: list[str] = []
    original = app.state.engine._turn

    async def counting(message, page_bytes, held):  # type: ignore[no-untyped-def]
        turns.append(message.text)
        return await original(message, page_bytes, held)

    app.state.engine._turn = counting
    crypto = SafeModeCrypto(TOKEN, AES_KEY, APPID)
    query, envelope = encrypted_post(crypto, text_xml("联系我们", msg_id="3301"),
                                     timestamp=str(int(time.time()) + 2))  # a clock 2 s ahead
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wx") as client:
        first = await client.post("/wechat", params=query, content=envelope)
        await asyncio.sleep(3.5)  # past DEDUP_TTL, still inside the request's window
        replay = await client.post("/wechat", params=query, content=envelope)
        await asyncio.sleep(2.5)
        stale = await client.post("/wechat", params=query, content=envelope)
    assert first.status_code == replay.status_code == 200 and turns == ["联系我们"]
    assert stale.status_code == 403  # and after the window the timestamp itself is refused
