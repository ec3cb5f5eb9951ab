import io

import pytest

from bot import terminal


async def test_terminal_chat_talks_to_the_engine(
    monkeypatch: pytest.MonkeyPatch, redis_url: str, redis_client: object
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    terminal.get_settings.cache_clear()
    out = io.StringIO()
    await terminal.chat(io.StringIO("菜单\n联系我们\n"), out, user="terminal-test")
    terminal.get_settings.cache_clear()
    text = out.getvalue()
    assert "元江县" in text and "主菜单" in text and "那诺乡" in text
