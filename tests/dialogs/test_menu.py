"""The one menu (bot/dialogs/menu.py): the phone's buttons and the chat's main menu, keys against flows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.dialogs import default_flows
from bot.dialogs import menu as menu_module
from bot.dialogs.intents import default_intents
from bot.dialogs.menu import MenuEntry, default_entries, entries, unknown_keys
from bot.engine import Engine, Message
from bot.errors import ConfigError
from bot.services import Services
from bot.wechat.menu import load_menu
from bot.wechat.menu import main as menu_main


def test_every_shipped_key_names_a_flow() -> None:
    assert default_entries()
    assert unknown_keys(default_entries(), default_flows()) == []


def test_the_chat_menu_is_the_phones_menu_in_reading_order(services: Services) -> None:
    buttons = load_menu()["button"]
    phone = [(sub["key"], sub["name"]) for top in buttons for sub in top.get("sub_button", [top])]
    chat = [(entry.key, entry.label) for entry in Engine(services).menu]
    assert chat == phone  # every shipped flow is available with the test settings


def test_triggers_start_their_flow(services: Services) -> None:
    intents = default_intents()
    for entry in default_entries():
        for trigger in entry.triggers:
            intent = intents.classify(trigger)
            assert intent is not None and intent.flow == entry.key, (trigger, intent)


def test_links_are_buttons_but_not_chat_entries(tmp_path: Path) -> None:
    path = tmp_path / "menu.yaml"
    path.write_text("menu:\n  - {label: 办事, url: 'https://example.org'}\n  - label: 更多\n    items:\n"
                    "      - {label: 联系我们, key: contact, triggers: [电话]}\n", encoding="utf-8")
    assert entries(path) == [MenuEntry("contact", "联系我们", ("电话",))]
    assert [b["name"] for b in load_menu(path)["button"]] == ["办事", "更多"]


def test_a_key_that_names_no_flow_stops_the_engine_at_start_up(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = (*default_entries(), MenuEntry("screenin", "救助自测"))
    monkeypatch.setattr(menu_module, "default_entries", lambda: typo)
    with pytest.raises(ConfigError, match="screenin"):
        create_app(services.settings, services)  # the server does not start


def test_menu_check_reports_a_key_that_names_no_flow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "menu.yaml"
    path.write_text("menu:\n  - {label: 帮助, key: helpp}\n", encoding="utf-8")
    assert menu_main(["menu", "check", "--file", str(path)]) == 1
    assert "'helpp'" in capsys.readouterr().err


async def test_each_menu_key_starts_its_flow(services: Services) -> None:
    engine = Engine(services)
    for entry in default_entries():
        user = f"menu-{entry.key}"
        replies = await engine.handle(Message(user=user, key=entry.key))
        assert replies, entry.key
        session = await services.sessions.load(user)
        assert session.flow is None or session.flow.name == entry.key
