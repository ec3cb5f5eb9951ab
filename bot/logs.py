"""Logging that cannot leak ID numbers, phone numbers or what residents typed.

Code never logs names, incomes or answers; this module is the second line of defence, applied to
every handler — ours and uvicorn's (`uvicorn_log_config`, passed to uvicorn by `server.py`, so its
"Exception in ASGI application" tracebacks go through the same path):
- any 18-character ID number or mainland mobile number in a record is masked;
- a traceback shows where an error happened (files, lines, exception types) but not the messages
  of exceptions from other libraries, which quote their input (pydantic's validation errors print
  every field a request sent). Our own exceptions (`BotError`, the one root) never carry values,
  so their messages stay.

Every line names the request it belongs to (`request_id`: the proxy's `X-Request-ID` when it has a
sane shape, else a fresh one; sent back in the response), so one resident's failed turn can be
followed across the webhook, the engine and Redis without logging who the resident is.
`LOG_FORMAT=json` writes one JSON object per line (python-json-logger) for a log collector: time,
level, logger, message, request_id and, for errors, the withheld traceback — masked like text.
"""

from __future__ import annotations

import logging
import logging.config
import re
import secrets
import traceback
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.errors import BotError

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message", "request_id")
_REQUEST_ID_SHAPE = re.compile(r"[A-Za-z0-9._-]{8,64}")
request_id: ContextVar[str] = ContextVar("request_id", default="-")


def mask(text: str) -> str:
    """`530428199001011234` → `530428********1234`; `13912345678` → `139****5678`."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and what led to it, oldest first (causes, contexts and exception-group members)."""
    found: list[BaseException] = []
    todo, seen = [exc], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        cause = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if cause is not None:
            todo.append(cause)
    return found[::-1]


def describe_exception(exc: BaseException) -> str:
    """A traceback without other libraries' exception messages (see the module docstring)."""
    parts: list[str] = []
    for item in _chain(exc):
        name = f"{type(item).__module__}.{type(item).__qualname__}"
        said = str(item) if isinstance(item, BotError) else "(message withheld: it may quote input)"
        parts += ["Traceback (most recent call last):\n", *traceback.format_tb(item.__traceback__),
                  f"{name}: {said}\n"]
    return mask("".join(parts)).rstrip("\n")


def new_request_id(offered: str | None = None) -> str:
    """The proxy's id when it has a sane shape (it goes into every log line), else a fresh one."""
    if offered and _REQUEST_ID_SHAPE.fullmatch(offered):
        return offered
    return secrets.token_hex(8)


class MaskingFilter(logging.Filter):
    """Masks the record and stamps it with the current request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = describe_exception(record.exc_info[1])
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class MaskingFormatter(logging.Formatter):
    """Formats like `logging.Formatter`, then masks the whole line (belt and braces)."""

    def formatException(self, ei: Any) -> str:
        return describe_exception(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class MaskingJsonFormatter(JsonFormatter):
    """One JSON object per record (`LOG_FORMAT=json`), masked like `MaskingFormatter`."""

    def __init__(self) -> None:
        super().__init__(list(JSON_FIELDS), rename_fields={"asctime": "time", "levelname": "level",
                                                           "name": "logger"},
                         json_ensure_ascii=False)

    def formatException(self, ei: Any) -> str:
        return describe_exception(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class RequestIdMiddleware:
    """Gives every HTTP request its id (see `new_request_id`) for the log lines it causes, and
    sends it back as `X-Request-ID` so a resident's complaint can be matched to the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = dict(scope.get("headers") or ()).get(b"x-request-id", b"").decode("latin-1")
        rid = new_request_id(offered)
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


def uvicorn_log_config(level: str = "INFO", fmt: str = "text") -> dict[str, Any]:
    """A `logging.config.dictConfig` for uvicorn and the app: one masked handler on the root,
    uvicorn's loggers propagate to it, the access log (openids in URLs) stays off."""
    formatter = {"()": MaskingJsonFormatter} if fmt == "json" else {"()": MaskingFormatter, "fmt": FORMAT,
                                                                        "defaults": {"request_id": "-"}}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mask": {"()": MaskingFilter}},
        "formatters": {"masked": formatter},
        "handlers": {"default": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                 "formatter": "masked", "filters": ["mask"]}},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Root logging with masking on every handler (idempotent; keeps handlers others installed)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.config.dictConfig(uvicorn_log_config(level, fmt))
    root.setLevel(level)
    # Both log request URLs (httpx at INFO, urllib3 under requests/wechatpy at DEBUG), and Tencent's
    # token URL carries the AppSecret.
    for name in ("httpx", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
    for name in ("uvicorn", "uvicorn.error"):  # whatever configured them, they end on the root
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
