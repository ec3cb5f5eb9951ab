"""Templates ship with the release: each is read and compiled once per process, not re-checked."""

from __future__ import annotations

import os
from pathlib import Path

from bot.templates import Templates


def test_a_rendered_template_is_not_checked_against_its_file_again(tmp_path: Path) -> None:
    page = tmp_path / "chat" / "hello.txt"
    page.parent.mkdir()
    page.write_text("你好，{{ who }}", encoding="utf-8")
    templates = Templates(root=tmp_path)
    assert templates.render("chat/hello.txt", who="张三") == "你好，张三"
    page.write_text("再见，{{ who }}", encoding="utf-8")
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))  # a change Jinja's reload check would see
    assert templates.render("chat/hello.txt", who="张三") == "你好，张三"
    assert Templates(root=tmp_path).render("chat/hello.txt", who="张三") == "再见，张三"  # a restart reads it
