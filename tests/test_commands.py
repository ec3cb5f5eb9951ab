"""The global commands against their handlers (bot/commands.py): every word has one, none is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import engine as engine_module
from bot.commands import COMMANDS, unknown_commands
from bot.dialogs.intents import CHAT_COMMANDS, DIALOG_DIR, INTENTS_PATH, Intents, default_intents
from bot.engine import Engine, Message
from bot.errors import ConfigError
from bot.services import Services


def shipped_commands() -> dict[str, list[str]]:
    return yaml.safe_load((DIALOG_DIR / "commands.yaml").read_text(encoding="utf-8"))


def test_every_command_the_word_lists_name_has_a_handler() -> None:
    named = [intent.command for intent in default_intents().intents.values()]
    assert unknown_commands(named) == []
    assert set(COMMANDS) <= set(named)  # and no handler is unreachable by words


def test_every_handler_has_words_in_commands_yaml() -> None:
    words = shipped_commands()
    assert set(COMMANDS) <= {name for name in words if name not in CHAT_COMMANDS}
    assert all(words[name] for name in COMMANDS)


def test_unknown_commands_names_each_once() -> None:
    assert unknown_commands(["menu", None, "dance", "dance", "sing"]) == ["dance", "sing"]


@pytest.mark.parametrize("where", ["commands.yaml", "intents.yaml"])
def test_a_command_without_a_handler_stops_the_engine_at_start_up(
    services: Services, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    commands = shipped_commands()
    raw = yaml.safe_load(Path(INTENTS_PATH).read_text(encoding="utf-8"))
    if where == "commands.yaml":
        commands["dance"] = ["跳舞"]  # a staff member adds a word list for a command nobody wrote
    else:
        raw["intents"]["sing"] = {"does": {"command": "sing"}, "words": ["唱歌"]}
    monkeypatch.setattr(engine_module, "default_intents", lambda: Intents(raw, commands, []))
    with pytest.raises(ConfigError, match="dance" if where == "commands.yaml" else "sing"):
        Engine(services)


@pytest.mark.parametrize("name", sorted(COMMANDS))
async def test_each_command_answers_by_its_words_and_as_a_menu_key(services: Services, name: str) -> None:
    engine = Engine(services)
    word = shipped_commands()[name][0]
    by_word = await engine.handle(Message(user=f"w-{name}", text=str(word)))
    by_key = await engine.handle(Message(user=f"k-{name}", key=name))
    assert by_word and all(reply.text or reply.handoff for reply in by_word)
    assert [r.text for r in by_key] == [r.text for r in by_word]


def test_the_knowledge_check_names_a_command_without_a_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.dialogs import intents as intents_module

    read = intents_module._read
    commands = {**shipped_commands(), "dance": ["跳舞"]}
    monkeypatch.setattr(intents_module, "_read",
                        lambda path: commands if path.name == "commands.yaml" else read(path))
    assert any("'dance'" in problem for problem in intents_module.check_intents())
