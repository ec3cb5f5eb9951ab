"""The FastAPI application: wiring settings, services, engine and routers together.

`create_app` is the only place that knows every piece; each router module stays ignorant of the
others. Production refuses to start on placeholders, so a misconfigured server fails loudly at
boot instead of quietly serving residents with development secrets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from bot import webhook
from bot.api import ask, chat, screen
from bot.api.security import require_api_key
from bot.application import routes as application_pages
from bot.delivery import Delivery, LateSender
from bot.dialogs.base import Reply
from bot.engine import Engine
from bot.errors import ConfigError, StorageUnavailable
from bot.handoff.worker import start_in_background
from bot.logs import configure_logging
from bot.services import Services, build_services
from bot.settings import Settings, get_settings
from bot.staff import router as staff_router
from bot.staff.accounts import parse_staff_users
from bot.storage import connect_sync, ping
from bot.wechat.api import WeChatAPI
from bot.wechat.crypto import SafeModeCrypto

log = logging.getLogger(__name__)


def _late_sender(services: Services) -> LateSender | None:
    """Customer-service messages for replies that missed the 5 s window, where allowed."""
    settings = services.settings
    if not (settings.wechat_verified and settings.wechat_secret):
        return None
    api = WeChatAPI(settings.wechat_appid, settings.wechat_secret,
                    connect_sync(settings.redis_url, settings.redis_timeout),
                    base_url=settings.wechat_api_base)

    async def send(user: str, replies: list[Reply]) -> None:
        for reply in replies[:5]:  # at most 5 customer-service messages per user message
            text = reply.text + (f'\n<a href="{reply.url}">{reply.link_text}</a>' if reply.url else "")
            await api.send_text(user, text)

    return send


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or (services.settings if services else get_settings())
    configure_logging(settings.log_level)
    parse_staff_users(settings.staff_users)  # a malformed STAFF_USERS fails at boot, not at login
    if settings.production and settings.problems():
        raise ConfigError("production needs real values for: " + ", ".join(settings.problems()))
    if services is None:
        from bot.knowledge import KnowledgeBase

        services = build_services(settings, knowledge=KnowledgeBase.from_directory())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = start_in_background(services) if settings.handoff == "http" else None
        yield
        if worker is not None:
            worker.cancel()
            with suppress(asyncio.CancelledError):
                await worker
        await services.redis.aclose()

    app = FastAPI(title="元江县社会救助服务", lifespan=lifespan, max_body_size=settings.max_body_bytes,
                  docs_url=None if settings.production else "/docs", redoc_url=None)
    engine = Engine(services)
    app.state.services = services
    app.state.engine = engine
    app.state.knowledge = services.knowledge
    app.state.wechat_crypto = (
        SafeModeCrypto(settings.wechat_token, settings.wechat_aes_key, settings.wechat_appid)
        if settings.safe_mode else None
    )
    app.state.delivery = Delivery(services, engine, settings.webhook_deadline, _late_sender(services))

    app.include_router(webhook.router)
    app.include_router(application_pages.router)
    app.include_router(staff_router)
    guarded = [Depends(require_api_key)]
    for api in (chat, ask, screen):
        app.include_router(api.router, dependencies=guarded)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> PlainTextResponse:
        if await ping(services.redis):
            return PlainTextResponse("ready")
        return PlainTextResponse("storage unavailable", status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> PlainTextResponse:
        route = request.scope.get("route")  # the template, never the raw path: /a/<token> is a credential
        log.error("unhandled error on %s: %s", getattr(route, "path", "?"), type(exc).__name__)
        if request.url.path == "/wechat":  # WeChat shows residents an error page for anything else
            return PlainTextResponse(webhook.SUCCESS)
        return PlainTextResponse("internal error", status_code=500)

    @app.exception_handler(StorageUnavailable)
    async def storage_down(request: Request, exc: StorageUnavailable) -> JSONResponse:
        return JSONResponse({"detail": "storage unavailable, try again shortly"}, status_code=503)

    return app
