"""Entry point: `python server.py [--workers N]` serves the app on HOST:PORT (default 127.0.0.1:8000).

uvicorn gets the app's own log configuration (every line masked, tracebacks without third-party
exception messages), no access log (its lines would carry openids), and a ceiling on concurrent
connections and requests (`MAX_CONCURRENCY`) beyond which it answers 503 at once rather than
queueing work that could only be answered late. Forwarded headers are handled inside the app
(`TRUSTED_PROXIES`), so uvicorn's own proxy-header handling is off.

With `--workers N` a supervisor (`bot.workers`: uvicorn's, with a `SO_REUSEPORT` socket per
worker so that the kernel spreads connections evenly) runs N processes, each building the app
through `worker_app`. Everything they share lives in Redis (sessions, de-dup, rate limits, the
turn queue, the outbox lease), so N > 1 needs `REDIS_URL`: the embedded store would give every
process a memory of its own. Knowledge and cue files are watched by each process on its own.
The knowledge base is built while the server already listens (`/healthz` answers at once,
`/readyz` once it is built). The bot package is imported inside the functions, so
`bench/load/echo_server.py` can reuse `uvicorn_options` without loading the app.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

import uvicorn

from bot.logs import uvicorn_log_config
from bot.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


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


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory for `--workers N`)."""
    from bot.app import create_app
    from bot.heap import one_malloc_arena

    one_malloc_arena()  # before the app starts its loading threads (`bot.heap`)
    return create_app(get_settings(), knowledge_in_background=True, settle_heap=True)


def main(argv: list[str] | None = None) -> int:
    from bot.staff.development import PREFIX, add_development_accounts
    from bot.townships import townships

    parser = argparse.ArgumentParser(prog="python server.py")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.workers > 1 and not settings.redis_url:
        print("--workers above 1 needs REDIS_URL: the embedded store lives inside one process",
              file=sys.stderr)
        return 2
    print("\n".join(startup_lines(settings)), flush=True)
    password = add_development_accounts(settings)
    if password:
        os.environ["STAFF_USERS"] = settings.staff_users  # every worker gets the same accounts
        first = townships()[0]
        print(f"Development staff accounts (development only): {settings.local_url}/staff/\n"
              f"  user {PREFIX}<township code>, e.g. {PREFIX}{first['code']} for {first['name']} "
              f"(codes in bot/data/townships.yaml), password {password}", flush=True)
    if args.workers == 1:
        from bot.app import create_app
        from bot.heap import one_malloc_arena

        one_malloc_arena()  # before the app starts its loading threads (`bot.heap`)
        app = create_app(settings, knowledge_in_background=True, settle_heap=True)
        uvicorn.run(app, **uvicorn_options(settings))
    else:
        from bot.workers import ReusePortWorkers

        config = uvicorn.Config("server:worker_app", factory=True, workers=args.workers,
                                **uvicorn_options(settings))
        ReusePortWorkers(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
