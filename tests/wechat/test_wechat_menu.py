"""The custom menu file, its checks and the publish command (bot/wechat/menu.py)."""

import json
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.dialogs import default_flows
from bot.wechat.menu import label_width, load_menu, main, validate_menu


def click(name: str, key: str) -> dict[str, str]:
    return {"type": "click", "name": name, "key": key}


def test_shipped_menu_is_valid_and_its_keys_are_the_flows() -> None:
    menu = load_menu()
    assert validate_menu(menu) == []
    assert len(menu["button"]) == 3
    subs = [sub for top in menu["button"] for sub in top["sub_button"]]
    assert {sub["key"] for sub in subs} <= set(default_flows())  # each a flow (tests/dialogs/test_menu.py)
    assert all(sub["type"] == "click" for sub in subs)
    assert {sub["name"]: sub["key"] for sub in subs}["删除我的信息"] == "delete_data"


def test_label_width() -> None:
    assert label_width("政策问答") == 4
    assert label_width("Help") == 2
    assert label_width("12349热线") == 4.5


@pytest.mark.parametrize(
    ("menu", "problem"),
    [
        ({"button": [click("帮助", f"k{i}") for i in range(4)]}, "4 top-level buttons"),
        ({"button": [{"name": "帮助", "sub_button": [click("项", f"k{i}") for i in range(6)]}]}, "6 items"),
        ({"button": [click("政策问答查", "qa")]}, "4 Chinese characters"),
        ({"button": [click("Services!", "qa")]}, "4 Chinese characters"),
        ({"button": [click("😀😀😀😀😀", "qa")]}, "16 bytes"),
        (
            {"button": [{"name": "帮助", "sub_button": [click("报告困难群众的方法", "r")]}]},
            "8 Chinese characters",
        ),
        ({"button": [{"name": "帮助", "sub_button": [{"type": "click", "name": "帮助"}]}]}, "missing key"),
        ({"button": [{"type": "view", "name": "办事"}]}, "http(s) url"),
        ({"button": [{"type": "view", "name": "办事", "url": "ftp://x"}]}, "http(s) url"),
        ({"button": [{"type": "view", "name": "办事", "url": "https://x/" + "a" * 1100}]}, "1024 bytes"),
        ({"button": [click("甲", "qa"), click("乙", "qa")]}, "used twice"),
        ({"button": [click("", "qa")]}, "label is missing"),
        ({"button": [{"type": "media_id", "name": "图文", "media_id": "m"}]}, "unsupported button type"),
        ({"button": [{"name": "帮助", "sub_button": []}]}, "non-empty list"),
        ({"button": []}, "no buttons"),
        ({}, "no buttons"),
    ],
)
def test_validation_problems(menu: dict[str, Any], problem: str) -> None:
    problems = validate_menu(menu)
    assert any(problem in p for p in problems), problems


def test_valid_mixed_menu() -> None:
    menu = {
        "button": [
            click("Help", "help"),
            {"type": "view", "name": "办事", "url": "https://example.org/h5"},
            {"name": "更多", "sub_button": [click("使用帮助说明文字", "more"), click("😀😀😀😀", "emoji")]},
        ]
    }
    assert validate_menu(menu) == []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "menu.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_menu_shapes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "menu:\n  - {label: 帮助, key: help}\n  - {label: 办事, url: 'https://example.org'}\n"
        "  - label: 更多\n    items:\n      - {label: 联系我们, key: contact}\n",
    )
    assert load_menu(path) == {
        "button": [
            click("帮助", "help"),
            {"type": "view", "name": "办事", "url": "https://example.org"},
            {"name": "更多", "sub_button": [click("联系我们", "contact")]},
        ]
    }


@pytest.mark.parametrize(
    "text",
    [
        "buttons: []\n",
        "menu:\n  - {key: help}\n",
        "menu:\n  - {label: 帮助, key: help, url: 'https://x'}\n",
        "menu:\n  - label: 帮助\n    key: help\n    items: []\n",
    ],
)
def test_load_menu_refuses_a_wrong_shape(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError):
        load_menu(write(tmp_path, text))


def test_check_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["menu", "check"]) == 0
    assert "3 buttons, 9 items" in capsys.readouterr().out
    assert main(["show"]) == 0
    assert json.loads(capsys.readouterr().out) == load_menu()
    bad = write(tmp_path, "menu:\n  - {label: 政策问答查, key: qa}\n")
    assert main(["menu", "check", "--file", str(bad)]) == 1
    assert "4 Chinese characters" in capsys.readouterr().err


@pytest.fixture
def publish_env(monkeypatch: pytest.MonkeyPatch, fake_wechat: Any) -> Any:
    monkeypatch.setenv("WECHAT_APPID", fake_wechat.appid)
    monkeypatch.setenv("WECHAT_SECRET", "fake-secret")
    monkeypatch.setenv("WECHAT_API_BASE", fake_wechat.base_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return fake_wechat


def test_publish_to_the_fake_api(publish_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["menu", "publish"]) == 0
    assert "menu published" in capsys.readouterr().out
    assert publish_env.menus == [load_menu()]
    assert publish_env.token_fetches == 1


def test_publish_through_the_suites_redis(publish_env: Any, monkeypatch: pytest.MonkeyPatch,
                                          redis_base_url: str) -> None:
    # Settings and bot.storage, not os.environ: REDIS_URL reaches the command the way it reaches the server.
    client = redis.Redis.from_url(f"{redis_base_url}/15")
    key = f"wx:token:{publish_env.appid}_access_token"
    monkeypatch.setenv("REDIS_URL", f"{redis_base_url}/15")
    try:
        assert main(["menu", "publish"]) == 0
        assert main(["menu", "publish"]) == 0
        assert json.loads(client.get(key)) == publish_env.token
    finally:
        client.delete(key)
        client.close()
    assert len(publish_env.menus) == 2
    assert publish_env.token_fetches == 1


def test_publish_refuses_an_invalid_menu(publish_env: Any, tmp_path: Path) -> None:
    bad = write(tmp_path, "menu:\n  - {label: 帮助}\n")
    assert main(["menu", "publish", "--file", str(bad)]) == 1
    assert publish_env.menus == [] and publish_env.token_fetches == 0


def test_publish_needs_credentials(publish_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WECHAT_SECRET")
    assert main(["menu", "publish"]) == 2
    assert publish_env.token_fetches == 0


def test_publish_reports_api_refusal(
    publish_env: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WECHAT_SECRET", "wrong-secret")
    assert main(["menu", "publish"]) == 1
    err = capsys.readouterr().err
    assert "40125" in err and "wrong-secret" not in err
    assert publish_env.menus == []
