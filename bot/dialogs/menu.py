"""The one menu: the account's custom menu and the chat's numbered main menu, from `menu.yaml`.

The file is written as the phone shows it (buttons, each a group of `items`, a `key` or a `url`);
the chat's main menu is its keyed entries in reading order, so the third item on the phone and
`3` in the chat are the same thing, and the intents hear each entry's `triggers`. A key names a
flow: `unknown_keys` lists those that name none, and the engine refuses to start with any, so a
typo is a start-up error instead of a button that does nothing. Tencent's own limits (counts,
label widths) are checked where the menu is published, in `bot/wechat/menu.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError

MENU_FILE = Path(__file__).with_name("menu.yaml")


@dataclass(frozen=True)
class MenuEntry:
    key: str  # the flow's name, and the custom menu's CLICK key
    label: str
    triggers: tuple[str, ...] = ()  # whole messages that start the flow (bot/dialogs/intents.py)


def read_menu(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The file's top-level buttons as written (default `bot/dialogs/menu.yaml`)."""
    data = yaml.safe_load(Path(path or MENU_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("menu"), list):
        raise ValueError("the menu file needs a top-level 'menu' list")
    return list(data["menu"])


def _keyed(nodes: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        if isinstance(node, dict) and isinstance(node.get("items"), list):
            yield from _keyed(node["items"])
        elif isinstance(node, dict) and node.get("key"):
            yield node


def entries(path: str | Path | None = None) -> list[MenuEntry]:
    """Every keyed entry, in the order the phone shows them (links to pages are not entries)."""
    found = []
    for node in _keyed(read_menu(path)):
        if not isinstance(node.get("label"), str):
            raise ValueError(f"menu entry {node['key']!r} needs a text label")
        found.append(MenuEntry(str(node["key"]), node["label"], tuple(map(str, node.get("triggers") or ()))))
    return found


@cache
def default_entries() -> tuple[MenuEntry, ...]:
    return tuple(entries())


def unknown_keys(menu: Iterable[MenuEntry], flows: Iterable[str]) -> list[str]:
    """Keys of `menu` that name none of `flows`, in menu order."""
    names = set(flows)
    return [entry.key for entry in menu if entry.key not in names]


def checked_entries(flows: Iterable[str]) -> tuple[MenuEntry, ...]:
    """The shipped menu, or `ConfigError` when one of its keys names none of `flows`."""
    unknown = unknown_keys(default_entries(), flows)
    if unknown:
        raise ConfigError(f"menu keys in dialogs/menu.yaml name no flow: {', '.join(unknown)}")
    return default_entries()
