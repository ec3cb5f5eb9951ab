"""The application page over HTTP: content, masking, headers, the one 404, and WeChat OAuth."""

import re
from collections.abc import AsyncIterator
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import redis.asyncio as aioredis

from bot.application import routes
from bot.application.links import Signer, page_signer
from bot.application.model import ApplicationRecord, Status
from bot.engine import Engine
from bot.services import Services
from bot.wechat.errors import APIError
from tests.application.support import (
    ID_NUMBER,
    NAME,
    PHONE,
    apply,
    make_app,
    make_services,
    path_of,
    put_screening,
)

USER = "oResidentOpenid0005"
OTHER = "oResidentOpenid0006"


@pytest.fixture
def services(redis_client: aioredis.Redis) -> Services:
    return make_services(redis_client, banshitong_url="https://banshitong.example.cn/dibao")


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="https://assist.example.cn") as client:
        yield client


async def generated(services: Services, user: str = USER) -> tuple[str, ApplicationRecord]:
    await put_screening(services, user)
    final = await apply(Engine(services), user)
    record = (await services.applications.for_user(user))[0]
    return path_of(final[0].url), record


def assert_secure(response: httpx.Response) -> None:
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'self'; frame-ancestors 'none'") and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_page_shows_the_application_with_masked_identifiers(services: Services,
                                                                  client: httpx.AsyncClient) -> None:
    path, _ = await generated(services)
    response = await client.get(path)
    assert response.status_code == 200
    assert_secure(response)
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert f"{ID_NUMBER[:4]}**********{ID_NUMBER[-4:]}" in html and ID_NUMBER not in html
    assert "139****6655" in html and PHONE not in html
    assert NAME in html and "不是官方申请表" in html and "已生成" in html
    for expected in ("最低生活保障（低保）", "残疾人证", "诊断证明", "户口簿", "家庭经济状况核查", "民主评议",
                     "公示", "甘庄街道", "东峨村委会", "申请人民族", "<svg", "打印"):
        assert expected in html, expected
    assert 'href="https://banshitong.example.cn/dibao"' in html
    # Nothing loaded from elsewhere: only same-origin stylesheet and script.
    assert re.findall(r'(?:src|href)="(/[^"]*)"', html).count("/a/static/application.css") == 1
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', html)
    assert "style=" not in html and "<style" not in html


async def test_without_banshitong_url_the_page_explains_instead(services: Services) -> None:
    services.settings.banshitong_url = ""
    path, _ = await generated(services)
    transport = httpx.ASGITransport(app=make_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        html = (await c.get(path)).text
    assert "应用商店搜索下载" in html and "打开办事通" not in html


async def test_tampered_expired_foreign_and_deleted_links_get_the_same_404(services: Services,
                                                                         client: httpx.AsyncClient) -> None:
    path, record = await generated(services)
    _, other = await generated(services, OTHER)
    token = path.rsplit("/", 1)[1]
    signer = page_signer(services.settings)
    expired = signer.sign(record.id, record.user_key, now=0)
    foreign = signer.sign(other.id, record.user_key)  # my pseudonym, someone else's record
    forged = Signer("another-secret", "application-page", 3600).sign(record.id, record.user_key)
    report = ApplicationRecord.new("report", record.user_key, "530428001", {"what": "x"},
                                   status=Status.HANDED_TO_TOWNSHIP)
    await services.applications.save(report)
    bad = [token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), expired, foreign, forged,
           signer.sign(report.id, record.user_key), "v1.x.y", "nonsense"]
    answers = [await client.get(f"/a/{t}") for t in bad]
    await services.applications.delete_user(USER)
    answers.append(await client.get(path))
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1 and "我的申请" in answers[0].text
    for answer in answers:
        assert_secure(answer)
        assert answer.headers["cache-control"] == "no-store"


async def test_stylesheet_is_served_same_origin(client: httpx.AsyncClient) -> None:
    css = await client.get("/a/static/application.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "font-size: 20px" in css.text and "@media print" in css.text
    assert_secure(css)
    assert (await client.get("/a/static/..%2Fsettings.py")).status_code == 404
    assert (await client.get("/a/static/other.css")).status_code == 404


class FakeOAuth:
    codes: ClassVar[dict[str, str]] = {}

    @classmethod
    async def openid(cls, appid: str, secret: str, code: str, **kwargs: object) -> str:
        if code not in cls.codes:
            raise APIError("invalid code")
        return cls.codes.pop(code)


async def test_oauth_checks_the_viewer_openid(services: Services, client: httpx.AsyncClient,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes, "oauth_openid", FakeOAuth.openid)
    services.settings.wechat_oauth_enabled = True
    path, _ = await generated(services)
    first = await client.get(path)
    assert first.status_code == 302
    target = urlsplit(first.headers["location"])
    query = parse_qs(target.query)
    assert target.netloc == "open.weixin.qq.com" and query["scope"] == ["snsapi_base"]
    assert query["redirect_uri"] == [f"https://assist.example.cn{path}"]
    FakeOAuth.codes.update({"code-mine": USER, "code-other": OTHER})
    assert (await client.get(path, params={"code": "code-other"})).status_code == 404
    assert (await client.get(path, params={"code": "code-unknown"})).status_code == 404
    back = await client.get(path, params={"code": "code-mine"})
    assert back.status_code == 303 and back.headers["location"] == f"https://assist.example.cn{path}"
    assert "HttpOnly" in back.headers["set-cookie"] and "Secure" in back.headers["set-cookie"]
    page = await client.get(path)  # the client keeps the viewer cookie
    assert page.status_code == 200 and NAME in page.text
    client.cookies.clear()
    assert (await client.get(path)).status_code == 302
