"""Fixtures for the staff pages: the suite's Redis, two townships' accounts, records of both."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI

from bot.application.model import ApplicationRecord, Status
from bot.services import Services, build_services
from bot.settings import Settings
from bot.staff import router
from bot.staff.accounts import hash_password

NANUO, YANGJIE = "530428001", "530428002"
PASSWORD = "correct horse battery"


@dataclass
class Records:
    nanuo_app: ApplicationRecord
    nanuo_report: ApplicationRecord
    yangjie_app: ApplicationRecord


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def staff_services(redis_client: aioredis.Redis, password_hash: str) -> Services:
    users = f"nanuo1:{NANUO}:{password_hash},yangjie1:{YANGJIE}:{password_hash}"
    settings = Settings(app_env="test", staff_users=users, _env_file=None)
    services = build_services(settings, redis=redis_client)
    return services


def _application(services: Services, user: str, township: str, name: str, id_number: str,
                 phone: str, status: Status) -> ApplicationRecord:
    payload = {
        "schema_version": "application-v1", "kind": "application",
        "applicant": {"name": name, "id_number": id_number, "phone": phone, "sex": "female",
                      "birth_date": "1950-01-01"},
        "members": [{"relation": "applicant", "age": 75, "serious_illness": True, "able_to_work": False,
                     "employed": False, "in_school": None, "disability_type": None,
                     "disability_grade": None}],
        "programs": [{"program": "dibao", "name": "最低生活保障", "status": "likely", "refs": [1]}],
        "hardship": {"causes": ["serious_illness", "no_work_ability"], "description": "待补充"},
        "where": {"township_code": township, "village": "大水平村"},
    }
    return ApplicationRecord.new("application", services.sealer.pseudonym(user), township, payload,
                                 status=status)


@pytest.fixture
async def records(staff_services: Services) -> Records:
    store = staff_services.applications
    nanuo_app = _application(staff_services, "u1", NANUO, "李秀英", "53042819500101002X", "13912345678",
                             Status.HANDED_TO_TOWNSHIP)
    report_payload = {"schema_version": "report-v1", "kind": "report", "reference": "K7M2Q9XA",
                      "who": "=HYPERLINK(\"x\") 独居老人王大爷", "what": "好几天没吃饭了",
                      "village": "新寨村",
                      "contact": "13800001111", "urgent": True, "township_code": NANUO}
    nanuo_report = ApplicationRecord.new("report", staff_services.sealer.pseudonym("u2"), NANUO,
                                         report_payload, status=Status.HANDED_TO_TOWNSHIP)
    yangjie_app = _application(staff_services, "u3", YANGJIE, "张国华", "530428196805051234", "13700002222",
                               Status.HANDED_TO_TOWNSHIP)
    for record in (nanuo_app, nanuo_report, yangjie_app):
        await store.save(record)
    return Records(nanuo_app, nanuo_report, yangjie_app)


@pytest.fixture
async def client(staff_services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.state.services = staff_services
    app.include_router(router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _csrf_of(html: str) -> str:
    return _CSRF.search(html).group(1)


@pytest.fixture
def csrf_of() -> Callable[[str], str]:
    """The CSRF token in a page's forms."""
    return _csrf_of


@pytest.fixture
def login() -> Callable[..., Awaitable[httpx.Response]]:
    async def sign_in(http: httpx.AsyncClient, user: str = "nanuo1", password: str = PASSWORD,
                      next_page: str = "/staff/") -> httpx.Response:
        form = await http.get("/staff/login")
        return await http.post("/staff/login", data={"username": user, "password": password,
                                                     "csrf": _csrf_of(form.text), "next": next_page})
    return sign_in
