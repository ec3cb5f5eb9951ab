"""Entry point: `python server.py` serves the app on HOST:PORT (default 127.0.0.1:8000).

uvicorn gets the app's own log configuration (every line masked, tracebacks without third-party
exception messages), no access log (its lines would carry openids), and a ceiling on concurrent
connections and requests (`MAX_CONCURRENCY`) beyond which it answers 503 at once rather than
queueing work that could only be answered late. Forwarded headers are handled inside the app
(`TRUSTED_PROXIES`), so uvicorn's own proxy-header handling is off.
"""

from __future__ import annotations

from typing import Any

import uvicorn

from bot.app import create_app
from bot.logs import uvicorn_log_config
from bot.settings import Settings, get_settings
from bot.staff.development import PREFIX, add_development_accounts
from bot.townships import townships


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level.lower(),
        "log_config": uvicorn_log_config(settings.log_level.upper(), settings.log_format),
        "access_log": False,
        "proxy_headers": False,
        "limit_concurrency": settings.max_concurrency,
        "backlog": 2 * settings.max_concurrency,
        "timeout_keep_alive": 5,
    }


def startup_lines(settings: Settings) -> list[str]:
    """Where the server listens and where the links it sends point (the first thing to check when
    a link does not open)."""
    origin = ("PUBLIC_BASE_URL unset: following HOST/PORT" if settings.links_follow_host
              else "PUBLIC_BASE_URL")
    return [f"Serving on {settings.local_url} (HOST={settings.host}, PORT={settings.port})",
            f"Links in replies start with {settings.public_base_url} ({origin})"]


def main() -> None:
    settings = get_settings()
    print("\n".join(startup_lines(settings)), flush=True)
    password = add_development_accounts(settings)
    if password:
        first = townships()[0]
        print(f"Development staff accounts (development only): {settings.local_url}/staff/\n"
              f"  user {PREFIX}<township code>, e.g. {PREFIX}{first['code']} for {first['name']} "
              f"(codes in bot/data/townships.yaml), password {password}", flush=True)
    uvicorn.run(create_app(settings), **uvicorn_options(settings))


if __name__ == "__main__":
    main()
