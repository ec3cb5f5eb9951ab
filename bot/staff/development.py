"""`make run` on a fresh machine: development staff accounts, so the whole report path can be seen.

With `APP_ENV=development` and no `STAFF_USERS`, the server makes one account per township
(`dev-<township code>`), all with one random password it prints at start-up, so a newcomer can
report someone in chat and open the township's queue. Never in production or tests: there an
empty `STAFF_USERS` means nobody can read the queue, and reports say so to the resident.
"""

from __future__ import annotations

import secrets

from bot.settings import Settings
from bot.staff.accounts import hash_password
from bot.townships import townships

PREFIX = "dev-"


def add_development_accounts(settings: Settings) -> str | None:
    """Fill `settings.staff_users` in development when it is empty; the password, or None."""
    if settings.app_env != "development" or settings.staff_users.strip():
        return None
    password = secrets.token_urlsafe(9)
    hashed = hash_password(password)
    settings.staff_users = ",".join(f"{PREFIX}{t['code']}:{t['code']}:{hashed}" for t in townships())
    return password
