"""Hostile or broken JSON on `/api/v1/*` gets a 422 naming the field, never a 500 or an echo."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.app import create_app
from bot.services import Services

PERSONAL = ("张秀英", "530428199001011234", "13912345678")
WHO = " ".join(PERSONAL)


def client(services: Services) -> httpx.AsyncClient:
    app = create_app(services.settings, services)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


# Raw bodies: Python's json (which Starlette uses) reads NaN, Infinity and 1e400 as floats,
# and "\ud800" as a lone surrogate that UTF-8 cannot encode.
CRASHERS = [
    ("/api/v1/screen", '{"members": [{"relation": "applicant", "monthly_income": NaN}], "note": "%s"}'),
    ("/api/v1/screen", '{"members": [{"relation": "applicant", "monthly_income": Infinity}], "x": "%s"}'),
    ("/api/v1/screen", '{"members": [{"relation": "applicant", "age": 70}], "financial_assets": 1e400,'
                       ' "who": "%s"}'),
    ("/api/v1/screen", '{"members": [{"relation": "applicant"}], "residence_permit_years": -Infinity}'),
    ("/api/v1/ask", '{"question": "\\ud800 %s"}'),
    ("/api/v1/chat", '{"user": "u1", "text": "%s \\udfff"}'),
    ("/api/v1/chat", '{"user": "u1", "key": "\\ud800"}'),
    ("/api/v1/screen", '{"members": [{"relation": "applicant"}], "\\ud800x": "%s"}'),
]
CRASHERS = [(path, body.replace("%s", WHO)) for path, body in CRASHERS]


@pytest.mark.parametrize("path, body", CRASHERS)
async def test_crashing_payloads_are_422_without_echo(services: Services, path: str, body: str) -> None:
    async with client(services) as c:
        response = await c.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and all({"type", "loc", "msg"} <= set(error) for error in detail)
    for value in PERSONAL:
        assert value not in response.text


def test_the_crashers_are_what_they_claim() -> None:
    """Each body really carries NaN/Infinity or a lone surrogate once parsed (so the test means it)."""
    for _, body in CRASHERS:
        text = json.dumps(json.loads(body), ensure_ascii=False)
        assert "NaN" in text or "Infinity" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)
