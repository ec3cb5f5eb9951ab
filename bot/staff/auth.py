"""Staff sessions and CSRF tokens.

A session is a random token in a signed cookie (HttpOnly, SameSite=Strict, Secure outside
development, path /staff) whose server side lives in Redis with an absolute lifetime, so logging
out or removing an account ends it at once. Every state-changing form carries a CSRF token bound
to the session (an HMAC of the token); the login form, which has no session yet, binds its token
to a short-lived pre-login cookie instead.

Sign-in attempts are counted *before* the password is checked, atomically in Redis and shared by
all workers (`bot/ratelimit.py`), so a burst of parallel guesses gets no more evaluations than the
limit. They are limited per source address (`RATE_LIMIT_STAFF_LOGIN_ADDRESS`, 10 per 15 minutes)
and per account name (`RATE_LIMIT_STAFF_LOGIN_ACCOUNT`, 20 per 5 minutes): one stranger's address
runs out long before the account does, so only guessing from several addresses can lock an
account, and then only until five minutes after the guessing stops. A successful sign-in does not
reset the counts (guesses sent alongside it would get a fresh budget). Counters carry keyed
pseudonyms, never the names or addresses tried.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from fastapi import Request, Response

from bot.ratelimit import Verdict
from bot.services import Services
from bot.staff.accounts import StaffUser, authenticate, parse_staff_users
from bot.storage import guarded

SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
SESSION_TTL = 8 * 3600  # one working day
LOGIN_FORM_TTL = 30 * 60


@dataclass(frozen=True)
class StaffSession:
    token: str
    user: StaffUser


class StaffAuth:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.settings
        self.users = parse_staff_users(self.settings.staff_users)
        self._secret = hashlib.sha256(("staff:" + self.settings.secret_key).encode()).digest()

    # -- signing -------------------------------------------------------------------------------

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def _signed(self, token: str) -> str:
        return f"{token}.{self._mac('cookie', token)}"

    def _unsigned(self, cookie: str | None) -> str | None:
        token, _, mac = (cookie or "").rpartition(".")
        return token if token and hmac.compare_digest(mac, self._mac("cookie", token)) else None

    def csrf_token(self, binding: str) -> str:
        return self._mac("csrf", binding)

    def csrf_ok(self, binding: str | None, given: str | None) -> bool:
        return bool(binding and given) and hmac.compare_digest(self.csrf_token(binding or ""), given or "")

    def _set_cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path="/staff", httponly=True,
                            samesite="strict", secure=self.settings.app_env != "development")

    # -- the login form ------------------------------------------------------------------------

    def login_binding(self, request: Request) -> str | None:
        return self._unsigned(request.cookies.get(LOGIN_COOKIE))

    def login_form_binding(self, request: Request) -> tuple[str, bool]:
        """What the login form's CSRF token binds to, and whether it is new (needs its cookie)."""
        binding = self.login_binding(request)
        return (binding, False) if binding else (secrets.token_urlsafe(24), True)

    def set_login_cookie(self, response: Response, binding: str) -> None:
        self._set_cookie(response, LOGIN_COOKIE, self._signed(binding), LOGIN_FORM_TTL)

    async def authenticate(self, name: str, password: str) -> StaffUser | None:
        # scrypt takes tens of milliseconds: keep it off the event loop
        return await asyncio.to_thread(authenticate, self.users, name, password)

    async def admit(self, address: str, name: str) -> Verdict:
        """Count one attempt from `address` at account `name`; refused ones are not evaluated."""
        limits = self.services.limits
        by_address = await limits.hit("staff_login_address", address)
        if not by_address.allowed:
            return by_address
        return await limits.hit("staff_login_account", name)

    # -- sessions ------------------------------------------------------------------------------

    def _session_key(self, token: str) -> str:
        return "staff:sess:" + self._mac("session", token)[:40]

    async def open_session(self, user: StaffUser, response: Response) -> None:
        token = secrets.token_urlsafe(32)
        value = json.dumps({"user": user.name})
        await guarded(lambda: self.services.redis.set(self._session_key(token), value, ex=SESSION_TTL))
        self._set_cookie(response, SESSION_COOKIE, self._signed(token), SESSION_TTL)
        response.delete_cookie(LOGIN_COOKIE, path="/staff")

    async def session(self, request: Request) -> StaffSession | None:
        """The signed-in staff member, or None; an account removed from settings is signed out."""
        token = self._unsigned(request.cookies.get(SESSION_COOKIE))
        if token is None:
            return None
        raw = await guarded(lambda: self.services.redis.get(self._session_key(token)))
        user = self.users.get(json.loads(raw)["user"]) if raw else None
        return StaffSession(token, user) if user else None

    async def close_session(self, session: StaffSession, response: Response) -> None:
        await guarded(lambda: self.services.redis.delete(self._session_key(session.token)))
        response.delete_cookie(SESSION_COOKIE, path="/staff")
