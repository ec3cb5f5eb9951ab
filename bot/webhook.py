"""`/wechat`: the official account's server URL, gluing the WeChat transport to the engine.

Order matters here: the signature is checked before the body is read, the timestamp before any
work, and in safe mode (`WECHAT_MODE=safe`, the default with an AES key) a body that is not
encrypted and signed by `msg_signature` is refused — the URL signature alone does not cover the
body, so anyone who saw one request URL could otherwise post any XML as any resident. Every path
ends in a reply within `WEBHOOK_DEADLINE` (4 s) counted from the request's arrival — a cached
reply for WeChat's retries, `success`, or a short text — never a 500. The transport (`bot.wechat`)
knows no dialogue; the engine knows no XML.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from bot.delivery import Delivery, Outcome
from bot.dialogs.base import Reply
from bot.engine import Message
from bot.errors import Busy
from bot.headers import page_headers
from bot.metrics import LATENCY, MESSAGES
from bot.paging import with_link
from bot.wechat.crypto import SafeModeCrypto
from bot.wechat.errors import BadMessage, WeChatError
from bot.wechat.messages import Inbound, parse_inbound
from bot.wechat.replies import TEXT_LIMIT, render_text, render_transfer
from bot.wechat.signature import is_fresh, verify_signature

log = logging.getLogger(__name__)
router = APIRouter()
SUCCESS = "success"

_ECHOSTR = re.compile(r"[A-Za-z0-9_\-+/=]{1,128}")  # WeChat sends digits; base64 characters allowed
UNSUPPORTED = {"image", "video", "shortvideo", "location", "link", "file", "unknown"}


def _forbidden() -> Response:
    return PlainTextResponse("forbidden", status_code=403)


@router.get("/wechat")
async def verify_url(request: Request, signature: str = "", timestamp: str = "", nonce: str = "",
                     echostr: str = "") -> Response:
    """WeChat's URL check: echo `echostr`. The signature does not cover it, so only a fresh
    request and a plain token are echoed: an old signed URL cannot publish text under our address."""
    settings = request.app.state.services.settings
    if not verify_signature(settings.wechat_token, signature, timestamp, nonce):
        return _forbidden()
    if not (is_fresh(timestamp, time.time(), settings.timestamp_window) and _ECHOSTR.fullmatch(echostr)):
        return _forbidden()
    return PlainTextResponse(echostr, headers=page_headers("default-src 'none'"))


@router.post("/wechat")
async def receive(request: Request) -> Response:
    services = request.app.state.services
    settings = services.settings
    query = request.query_params
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    if not verify_signature(settings.wechat_token, query.get("signature", ""), timestamp, nonce):
        return _forbidden()
    if not is_fresh(timestamp, time.time(), settings.timestamp_window):
        return _forbidden()
    encrypted = query.get("encrypt_type") == "aes"
    if settings.webhook_mode == "safe" and not encrypted:
        log.warning("refused a plaintext message in safe mode")
        return _forbidden()
    body = await request.body()
    crypto: SafeModeCrypto | None = request.app.state.wechat_crypto
    if encrypted:
        if crypto is None:
            log.warning("safe-mode message received but WECHAT_AES_KEY is not set")
            return PlainTextResponse(SUCCESS)
        try:
            body = crypto.decrypt(body, query.get("msg_signature", ""), timestamp, nonce).encode()
        except WeChatError as exc:  # no Encrypt, msg_signature mismatch, bad ciphertext or appid
            log.warning("rejected safe-mode message: %s", type(exc).__name__)
            return _forbidden()
    try:
        inbound = parse_inbound(body)
    except BadMessage as exc:
        log.info("unreadable webhook message: %s", type(exc).__name__)
        return PlainTextResponse(SUCCESS)
    MESSAGES.labels(inbound.kind).inc()
    xml = await _reply_xml(request, inbound, int(timestamp))
    arrival = getattr(request.state, "arrival", None)
    if arrival is not None:
        LATENCY.observe(asyncio.get_running_loop().time() - arrival)
    if xml is None:
        return PlainTextResponse(SUCCESS)
    if encrypted and crypto is not None:
        xml = crypto.encrypt(xml, timestamp, nonce)
    return Response(xml, media_type="application/xml")


async def _reply_xml(request: Request, inbound: Inbound, timestamp: int) -> str | None:
    services = request.app.state.services
    settings, templates = services.settings, services.templates
    now = int(time.time())

    def text(content: str) -> str:
        return render_text(inbound.user, inbound.account, content, now)

    message = to_message(inbound)
    if message is None:
        if inbound.kind in UNSUPPORTED:
            return text(templates.render("chat/unsupported.txt"))
        if inbound.kind == "voice":
            return text(templates.render("chat/voice_empty.txt"))
        return None
    delivery: Delivery = request.app.state.delivery
    arrival = getattr(request.state, "arrival", None) or asyncio.get_running_loop().time()
    # A replay is refused while its timestamp is fresh: remember the request until it is not.
    remember = timestamp + settings.timestamp_window - now + 1
    # The emergency numbers need no storage and no turn: they go out whatever else fails.
    danger = request.app.state.engine.safety_reply(message.text) if message.text and not message.key else None
    try:
        outcome = await delivery.deliver(inbound.dedup_key(), message, TEXT_LIMIT,
                                         until=arrival + settings.webhook_deadline, remember=remember)
    except Busy:
        log.warning("storage unavailable or resident busy: answered busy")
        if danger:
            request.app.state.engine.count_danger_later(message.text)
            return render_reply(inbound, danger, now)
        return text(templates.render("chat/busy.txt"))
    except Exception as exc:  # a bug must cost the resident one message, never a 500
        log.error("conversation turn failed: %s", type(exc).__name__)
        return render_reply(inbound, danger, now) if danger else text(templates.render("chat/busy.txt"))
    if outcome.status != Outcome.DONE and danger:  # not answered in time: the numbers, now
        if outcome.status == Outcome.SHED:  # no turn will run to count it
            request.app.state.engine.count_danger_later(message.text)
        return render_reply(inbound, danger, now)
    if outcome.status == Outcome.LATE:
        return None
    if outcome.status == Outcome.PROCESSING:
        return text(templates.render("chat/processing.txt"))
    if outcome.status == Outcome.SHED:
        return text(templates.render("chat/overloaded.txt"))
    return render_reply(inbound, outcome.replies, now)


def to_message(inbound: Inbound) -> Message | None:
    """What the engine should hear, or None when the message needs no dialogue."""
    if inbound.kind == "text" or (inbound.kind == "voice" and (inbound.text or "").strip()):
        return Message(user=inbound.user, text=inbound.text or "", channel="wechat")
    if inbound.kind != "event":
        return None
    event, key = inbound.event or "", inbound.event_key or ""
    if event == "subscribe":
        scene = key.removeprefix("qrscene_") if key.startswith("qrscene_") else None
        return Message(user=inbound.user, key="welcome", channel="wechat", scene=scene)
    if event == "scan":
        return Message(user=inbound.user, key="welcome", channel="wechat", scene=key or None)
    if event == "click" and key:
        return Message(user=inbound.user, key=key, channel="wechat")
    return None


def render_reply(inbound: Inbound, replies: list[Reply], now: int) -> str | None:
    if not replies:
        return None
    reply = replies[0]
    if reply.handoff:
        return render_transfer(inbound.user, inbound.account, now)
    return render_text(inbound.user, inbound.account, with_link(reply), now)
