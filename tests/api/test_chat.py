import httpx
import pytest

from bot.app import create_app
from bot.services import Services
from bot.settings import Settings


def client(services: Services) -> httpx.AsyncClient:
    app = create_app(services.settings, services)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


async def test_chat_uses_the_engine(services: Services) -> None:
    async with client(services) as c:
        menu = await c.post("/api/v1/chat", json={"user": "demo", "text": "菜单"})
        assert menu.status_code == 200
        assert "主菜单" in menu.json()["replies"][0]["text"]
        contact = await c.post("/api/v1/chat", json={"user": "demo", "key": "contact"})
        assert "联系我们" in contact.json()["replies"][0]["text"]


@pytest.mark.parametrize(
    "body",
    [
        {"text": "hi"},
        {"user": "", "text": "x"},
        {"user": "a b", "text": "x"},
        {"user": "u", "text": "x" * 1001},
        {"user": "u", "text": 5},
    ],
)
async def test_invalid_requests_are_422(services: Services, body: dict) -> None:
    async with client(services) as c:
        assert (await c.post("/api/v1/chat", json=body)).status_code == 422


async def test_production_needs_the_api_key(services: Services) -> None:
    services.settings = Settings(app_env="production", api_key="k3y", _env_file=None)
    app = create_app(Settings(app_env="test", _env_file=None), services)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as c:
        assert (await c.post("/api/v1/chat", json={"user": "u", "text": "菜单"})).status_code == 401
        wrong = await c.post("/api/v1/chat", json={"user": "u", "text": "菜单"}, headers={"x-api-key": "no"})
        assert wrong.status_code == 401
        ok = await c.post("/api/v1/chat", json={"user": "u", "text": "菜单"}, headers={"x-api-key": "k3y"})
        assert ok.status_code == 200


async def test_page_bytes_pages_the_answer_as_on_wechat(services: Services) -> None:
    from bot.dialogs.base import Reply
    from bot.paging import utf8_len, with_link

    ask = {"user": "pager", "text": "低保怎么申请"}
    async with client(services) as c:
        whole = (await c.post("/api/v1/chat", json=ask)).json()["replies"]
        text = "\n\n".join(r["text"] for r in whole)
        assert utf8_len(text) > 600  # long enough to page at 600 bytes
        [first] = (await c.post("/api/v1/chat", json={**ask, "page_bytes": 600})).json()["replies"]
        assert utf8_len(with_link(Reply(first["text"], first["url"], first["link_text"]))) <= 600
        more = {"user": "pager", "text": "更多", "page_bytes": 600}
        [second] = (await c.post("/api/v1/chat", json=more)).json()["replies"]
        assert second["text"].split("\n")[0] in text and second["text"] not in first["text"]
        too_small = await c.post("/api/v1/chat", json={**ask, "page_bytes": 10})
        assert too_small.status_code == 422
