"""One exception root: every exception class `bot/` defines derives from `BotError`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import bot
from bot.errors import BotError, DataError


def _bot_exceptions() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        found += [value for value in vars(module).values()
                  if inspect.isclass(value) and issubclass(value, BaseException)
                  and value.__module__ == info.name]
    return found


def test_every_exception_of_the_service_is_a_bot_error() -> None:
    exceptions = _bot_exceptions()
    names = {cls.__name__ for cls in exceptions}
    assert {"KnowledgeError", "CueError", "LexiconError", "PatternError", "WeChatError",
            "StorageUnavailable"} <= names
    assert [cls.__name__ for cls in exceptions if not issubclass(cls, BotError)] == []


def test_a_broken_data_file_is_a_data_error_and_still_a_value_error() -> None:
    from bot.phrases import Grammar

    with pytest.raises(DataError) as raised:
        Grammar({}).compile("{nothing}")
    assert isinstance(raised.value, BotError) and isinstance(raised.value, ValueError)
