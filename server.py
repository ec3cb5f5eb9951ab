"""Entry point: `python server.py` serves the app on HOST:PORT (default 127.0.0.1:8000)."""

from __future__ import annotations

import uvicorn

from bot.app import create_app
from bot.settings import get_settings
from bot.staff.development import PREFIX, add_development_accounts
from bot.townships import townships


def main() -> None:
    settings = get_settings()
    password = add_development_accounts(settings)
    if password:
        first = townships()[0]
        print(f"Development staff accounts (development only): http://{settings.host}:{settings.port}/staff/\n"
              f"  user {PREFIX}<township code>, e.g. {PREFIX}{first['code']} for {first['name']} "
              f"(codes in bot/data/townships.yaml), password {password}", flush=True)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(),
                proxy_headers=True, access_log=False)  # access lines would carry openids


if __name__ == "__main__":
    main()
