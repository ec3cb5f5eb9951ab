"""The application page in a real browser: Debian's Chromium (headless) at 360×740, via Playwright.

Checks what a resident with older eyes on a small phone gets (font size, no sideways scrolling, tap
targets, masked ID), that nothing loads from elsewhere and the CSP blocks nothing the page needs,
and the print layout the village committee uses. Screenshots go to tests/artifacts/.
Without /usr/bin/chromium these tests skip loudly, unless REQUIRE_BROWSER=1 (CI), which fails them.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import uvicorn

from bot.engine import Engine
from bot.services import build_services
from bot.settings import Settings
from tests.application.support import (
    ID_NUMBER,
    NAME,
    PHONE,
    apply,
    make_app,
    put_screening,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USER = "oBrowserOpenid000001"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = (f"!!! BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM} (apt-get install chromium). "
              "Set REQUIRE_BROWSER=1 to make this a failure. !!!")
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settings(redis_url: str, port: int) -> Settings:
    return Settings(_env_file=None, redis_url=redis_url, public_base_url=f"http://127.0.0.1:{port}",
                    banshitong_url="https://banshitong.example.cn/dibao")


async def _seed(settings: Settings) -> str:
    """Run the chat (own Redis client, this thread's loop) up to the page link."""
    services = build_services(settings)
    await put_screening(services, USER)
    final = await apply(Engine(services), USER)
    await services.redis.aclose()
    assert final[0].url
    return final[0].url


@pytest.fixture(scope="module")
def page_url(redis_url: str) -> Iterator[str]:
    _require_chromium()
    database = redis.Redis.from_url(redis_url)
    database.flushdb()  # the suite's database; no test of another module runs meanwhile
    port = _free_port()
    settings = _settings(redis_url, port)
    services = build_services(settings)
    server = uvicorn.Server(uvicorn.Config(make_app(services), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield asyncio.run(_seed(settings))
    finally:
        server.should_exit = True
        thread.join(10)
        database.flushdb()
        database.close()


@pytest.fixture
def browser_page(page_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN")
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _origin(url: str) -> str:
    return "/".join(url.split("/", 3)[:3])


def test_page_reads_well_on_a_small_phone(browser_page, page_url: str) -> None:
    page = browser_page
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    failed: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(page_url, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "救助申请（预填）"
    html = page.content()
    assert f"{ID_NUMBER[:4]}**********{ID_NUMBER[-4:]}" in html and ID_NUMBER not in html
    assert PHONE not in html and NAME in html
    for text in ("请带上这些材料", "提交以后会怎样", "民主评议", "还需要补充的内容", "不是官方申请表"):
        assert page.get_by_text(text).first.is_visible(), text

    sizes = page.eval_on_selector_all(
        "main p, main li, main dd, main dt, .button",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 18 and min(sizes) >= 18, sizes  # even .small print is 0.9 × 20px
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    targets = page.eval_on_selector_all(
        ".button, a", "els => els.filter(e => e.offsetParent !== null)"
                      ".map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    assert targets and all(h >= 44 and w >= 44 for w, h in targets), targets
    banshitong = page.get_by_role("link", name="打开办事通“我要办低保”")
    assert banshitong.get_attribute("href") == "https://banshitong.example.cn/dibao"
    assert page.locator("#print").is_visible()  # same-origin script ran under the CSP
    assert page.locator("section.qr svg").is_visible()

    assert all(_origin(url) == _origin(page_url) for url in requests), requests
    assert failed == []
    assert not problems, problems  # e.g. "Refused to apply inline style" would show here
    page.screenshot(path=str(ARTIFACTS / "application-360.png"), full_page=True)


def test_print_layout_for_the_village_committee(browser_page, page_url: str) -> None:
    page = browser_page
    page.goto(page_url, wait_until="networkidle")
    assert not page.locator(".signatures").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".signatures").is_visible()
    assert page.get_by_text("申请人签字：").is_visible()
    assert not page.locator("#print").is_visible()
    assert not page.locator(".button").first.is_visible()
    assert not page.locator("footer").is_visible()
    assert page.locator("section.qr svg").is_visible()
    assert page.get_by_text("请带上这些材料").is_visible()
    page.screenshot(path=str(ARTIFACTS / "application-print.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "application-print.pdf"), format="A4")
    assert (ARTIFACTS / "application-print.pdf").stat().st_size > 1000


def test_tampered_link_shows_the_plain_404(browser_page, page_url: str) -> None:
    page = browser_page
    response = page.goto(page_url[:-3] + "AAA")
    assert response is not None and response.status == 404
    assert "链接已失效" in page.locator("h1").inner_text()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "application-404.png"), full_page=True)
