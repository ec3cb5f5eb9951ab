"""The FastAPI application: wiring settings, services, engine and routers together.

`create_app` is the only place that knows every piece; each router module stays ignorant of the
others. Production refuses to start on placeholders and weak secrets, and every environment
refuses settings that would open a hole (a replay window longer than the de-dup memory, safe mode
without a key), so a misconfigured server fails loudly at boot instead of quietly serving
residents. Request errors answer without echoing what was sent (it may be personal data).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot import metrics, webhook
from bot.api import ask, chat, screen
from bot.api.security import limit_by_address, require_api_key
from bot.application import routes as application_pages
from bot.arrival import ArrivalMiddleware
from bot.delivery import Delivery, LateSender
from bot.dialogs import warm as warm_dialogs
from bot.dialogs.base import Reply
from bot.dialogs.intents import default_intents
from bot.engine import Engine
from bot.errors import Busy, ConfigError
from bot.heap import HeapSettler
from bot.logs import RequestIdMiddleware, configure_logging
from bot.paging import with_link
from bot.pinyin_tables import share_readings
from bot.safety import safety_net
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
            await api.send_text(user, with_link(reply))

    return send


def _load_models() -> None:
    """What a worker loads while its knowledge index is built: cues, models, the flows' readers."""
    safety_net()
    default_intents()
    warm_dialogs()


def _long_lived(engine: Engine) -> tuple[int, ...] | None:
    """What a warm worker holds for good, by identity (`bot.heap`); None while it warms up."""
    knowledge = engine.services.knowledge
    if not (engine.warmed_up and (knowledge is None or knowledge.ready)):
        return None
    return (id(knowledge.snapshot) if knowledge is not None else 0, id(engine.safety.detector),
            id(engine.intents.model))


def _printable(value: object, limit: int = 200) -> object:
    """What JSON can carry of a `loc` part or message: lone surrogates replaced, long text cut."""
    if not isinstance(value, str):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")[:limit]


def check_settings(settings: Settings) -> None:
    """Refuse to start on settings that would open a hole; warn loudly about plaintext mode."""
    if settings.errors():
        raise ConfigError("settings refused: " + "; ".join(settings.errors()))
    if settings.production and settings.problems():
        raise ConfigError("production needs real values for: " + ", ".join(settings.problems()))
    if settings.production and settings.webhook_mode != "safe":
        log.warning("!!! WECHAT_MODE=%s in production (WECHAT_ALLOW_PLAINTEXT): plaintext message "
                    "bodies are covered by no signature, so anyone who saw one request URL can post "
                    "as any resident. Switch the account to 安全模式 and set WECHAT_MODE=safe. !!!",
                    settings.webhook_mode)


def create_app(settings: Settings | None = None, services: Services | None = None,
               knowledge_in_background: bool = False, settle_heap: bool = False) -> FastAPI:
    """The app; `knowledge_in_background` (servers) builds the knowledge base while the app
    already listens: `/healthz` answers at once, `/readyz` says "warming up" until it is built.
    `settle_heap` (servers) keeps the garbage collector off what the worker holds for good once
    it is warm (`bot.heap`)."""
    settings = settings or (services.settings if services else get_settings())
    configure_logging(settings.log_level, settings.log_format)
    parse_staff_users(settings.staff_users)  # a malformed STAFF_USERS fails at boot, not at login
    check_settings(settings)
    if services is None:
        from bot.knowledge import KnowledgeBase

        # The knowledge index is built in a child process; the cues, word lists, stored models and
        # the questionnaire's and application's readers load here meanwhile (the engine takes them
        # from their caches), into the memory that sharing pypinyin's readings freed.
        share_readings()
        models = threading.Thread(target=_load_models, name="models")
        models.start()
        knowledge = KnowledgeBase.from_directory(settings.knowledge_dir or None, isolated=True,
                                                 in_background=knowledge_in_background)
        models.join()
        services = build_services(settings, knowledge=knowledge)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if settings.handoff == "http":  # the outbox worker (and httpx) only where it runs
            from bot.handoff.worker import start_in_background

            worker = start_in_background(services)
        settler = HeapSettler(lambda: _long_lived(engine)) if settle_heap else None
        settling = asyncio.ensure_future(settler.run()) if settler is not None else None
        yield
        for task in (worker, settling):
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        await services.redis.aclose()

    public_docs = not settings.production  # the schema maps every endpoint: not for strangers
    app = FastAPI(title="元江县社会救助服务", lifespan=lifespan, max_body_size=settings.max_body_bytes,
                  docs_url="/docs" if public_docs else None, redoc_url=None,
                  openapi_url="/openapi.json" if public_docs else None)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(RequestIdMiddleware)  # every line a request causes carries its id
    app.add_middleware(ArrivalMiddleware, body_timeout=settings.body_timeout)  # outermost: first
    engine = Engine(services)
    app.state.services = services
    app.state.engine = engine
    app.state.knowledge = services.knowledge
    app.state.wechat_crypto = (
        SafeModeCrypto(settings.wechat_token, settings.wechat_aes_key, settings.wechat_appid)
        if settings.wechat_aes_key else None
    )
    app.state.delivery = Delivery(services, engine, settings.webhook_deadline, _late_sender(services))

    app.include_router(webhook.router)
    app.include_router(metrics.router)
    app.include_router(application_pages.router)
    app.include_router(staff_router)
    guarded = [Depends(limit_by_address), Depends(require_api_key)]
    refusals: dict[int | str, dict[str, object]] = {
        400: {"description": "the body is not UTF-8 JSON"},
        401: {"description": "missing or wrong X-API-Key (production)"},
        408: {"description": "the body did not arrive within BODY_TIMEOUT"},
        413: {"description": "the body is larger than MAX_BODY_BYTES"},
        429: {"description": "too many requests from this address; see Retry-After"},
        503: {"description": "storage unavailable or busy; try again shortly"},
    }
    for api in (chat, ask, screen):
        app.include_router(api.router, dependencies=guarded, responses=refusals)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> PlainTextResponse:
        knowledge = services.knowledge
        if not (engine.warmed_up and (knowledge is None or knowledge.ready)):  # a balancer should wait
            return PlainTextResponse("warming up", status_code=503)
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

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> JSONResponse:
        return JSONResponse({"detail": "storage unavailable or busy, try again shortly"}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 naming each field and problem, never the value sent: it may be personal data, and
        NaN or a lone surrogate cannot even be written back as JSON."""
        detail = [{"type": e["type"], "loc": [_printable(part, 64) for part in e["loc"]],
                   "msg": _printable(e["msg"])} for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    return app
