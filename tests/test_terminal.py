"""`python -m bot chat` (bot/terminal.py): through the running server when one is up, else standalone."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator

import httpx
import pytest
import redis.asyncio as aioredis

from bot import terminal
from bot.services import build_services
from bot.settings import Settings
from tests.application.support import ANSWERS, NAME, put_screening
from tests.servers import running

BUREAU_PHONE = "0877-7654321"  # only the server knows it: its answers carry it


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch, redis_base_url: str) -> Iterator[None]:
    monkeypatch.setenv("REDIS_URL", f"{redis_base_url}/1")
    monkeypatch.delenv("BUREAU_PHONE", raising=False)
    terminal.get_settings.cache_clear()
    yield
    terminal.get_settings.cache_clear()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_with_no_server_it_says_it_runs_standalone(fresh_settings: None) -> None:
    out = io.StringIO()
    url = f"http://127.0.0.1:{closed_port()}"
    await terminal.chat(io.StringIO("菜单\n联系我们\n"), out, user="terminal-test", server=url)
    text = out.getvalue()
    first_line = text.splitlines()[0]
    assert first_line.startswith("Standalone") and url in first_line
    assert "主菜单" in text and "那诺乡" in text and BUREAU_PHONE not in text


async def test_standalone_on_request(fresh_settings: None) -> None:
    out = io.StringIO()
    await terminal.chat(io.StringIO("联系我们\n"), out, user="terminal-test", standalone=True)
    assert out.getvalue().startswith("Standalone (--standalone)") and "那诺乡" in out.getvalue()


async def test_a_running_server_answers_the_terminal_and_its_links_open_there(
    fresh_settings: None, redis_base_url: str
) -> None:
    lines = "\n".join(["联系我们", "生成申请", *ANSWERS]) + "\n"
    redis = aioredis.Redis.from_url(f"{redis_base_url}/3")
    await redis.flushdb()
    settings = Settings(_env_file=None, redis_url=f"{redis_base_url}/3")  # the server's secrets, too
    await put_screening(build_services(settings, redis=redis), "api:terminal-test")  # 生成申请 needs one
    with running(f"{redis_base_url}/3", {"BUREAU_PHONE": BUREAU_PHONE}) as [server]:
        out = io.StringIO()
        await terminal.chat(io.StringIO(lines), out, user="terminal-test", server=server.url)
        text = out.getvalue()
        links = re.findall(r"^\[[^\]]*\] (\S+)$", text, re.M)
        assert links and links[-1].startswith(f"{server.url}/a/")  # PUBLIC_BASE_URL unset: HOST/PORT
        page = httpx.get(links[-1], timeout=10)
    assert text.startswith(f"Talking to the server at {server.url}")
    assert BUREAU_PHONE in text  # the server's settings answered, not this process's
    assert page.status_code == 200 and NAME in page.text
    await redis.flushdb()
    await redis.aclose()


def test_the_command_line_chooses(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, object]] = []

    async def fake_chat(**kwargs: object) -> None:
        seen.append(kwargs)

    monkeypatch.setattr(terminal, "chat", fake_chat)
    assert terminal.main([]) == 0 and terminal.main(["--standalone"]) == 0
    assert terminal.main(["--server", "http://127.0.0.1:9"]) == 0
    assert seen == [{"server": None, "standalone": False}, {"server": None, "standalone": True},
                    {"server": "http://127.0.0.1:9", "standalone": False}]
    with pytest.raises(SystemExit):
        terminal.main(["--server", "http://x", "--standalone"])
