"""Staff sign-in limits hold under concurrency, on two worker processes, per address and account."""

from __future__ import annotations

import asyncio
import re

import httpx
import redis.asyncio as aioredis

from bot.app import create_app
from bot.services import build_services
from bot.settings import Settings
from tests.servers import STAFF_PASSWORD, STAFF_USERS, Server

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def login_form(http: httpx.AsyncClient, base: str) -> tuple[str, str]:
    """The login form's CSRF token and its pre-login cookie (sent by hand: the cookie is Secure)."""
    form = await http.get(base + "/staff/login")
    return _CSRF.search(form.text).group(1), form.cookies["staff_login"]


async def attempt(http: httpx.AsyncClient, base: str, form: tuple[str, str], password: str,
                  address: str) -> int:
    csrf, cookie = form
    response = await http.post(base + "/staff/login", headers={"X-Forwarded-For": address,
                                                               "Cookie": f"staff_login={cookie}"},
                               data={"username": "nanuo1", "password": password, "csrf": csrf})
    return response.status_code


async def test_parallel_guesses_on_two_workers_get_no_more_evaluations_than_the_limit(
        worker_pair: list[Server], redis_client: aioredis.Redis) -> None:
    servers = worker_pair
    async with httpx.AsyncClient(timeout=60) as http:
        form = await login_form(http, servers[0].url)
        passwords = [f"guess number {i}" for i in range(49)] + [STAFF_PASSWORD]  # the right one last
        statuses = await asyncio.gather(*(
            attempt(http, servers[i % 2].url, form, password, f"198.51.100.{i + 1}")
            for i, password in enumerate(passwords)))
        evaluated = [s for s in statuses if s != 429]  # 401 wrong, 303 signed in
        assert len(evaluated) <= 20  # RATE_LIMIT_STAFF_LOGIN_ACCOUNT=20/5 minutes
        later = await attempt(http, servers[1].url, form, STAFF_PASSWORD, "198.51.100.200")
        assert later == 429  # the account stays locked for a while, whichever worker


async def test_one_stranger_cannot_lock_the_staff_out(worker_pair: list[Server],
                                                      redis_client: aioredis.Redis) -> None:
    servers = worker_pair
    async with httpx.AsyncClient(timeout=60) as http:
        form = await login_form(http, servers[0].url)
        statuses = await asyncio.gather(*(
            attempt(http, servers[i % 2].url, form, f"wrong {i}", "203.0.113.66") for i in range(30)))
        assert len([s for s in statuses if s != 429]) <= 10  # per address: 10 per 15 minutes
        staff = await attempt(http, servers[1].url, form, STAFF_PASSWORD, "192.0.2.10")  # the office
        assert staff == 303


async def test_forwarded_addresses_count_only_from_trusted_proxies(redis_client: aioredis.Redis) -> None:
    settings = Settings(app_env="test", staff_users=STAFF_USERS, trusted_proxies="", _env_file=None)
    app = create_app(settings, build_services(settings, redis=redis_client))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        form = await login_form(http, "")
        statuses = [await attempt(http, "", form, f"wrong {i}", f"198.51.100.{i}") for i in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]  # one peer, however it calls itself

