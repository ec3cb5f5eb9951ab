"""The custom menu on the phone: Tencent's checks and ``python -m bot menu check|show|publish``.

In developer mode WeChat disables the console's menu editor, so the menu exists only as what this
command publishes through ``/cgi-bin/menu/create``. The buttons are the one menu of
``bot/dialogs/menu.yaml`` (the chat's main menu is the same file). The checks catch what Tencent
would refuse, or silently truncate, and keys that name no flow, before a county clerk finds out on
a resident's phone.
"""

import argparse
import asyncio
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs import default_flows
from bot.dialogs.menu import entries, read_menu, unknown_keys
from bot.paging import utf8_len
from bot.settings import Settings
from bot.storage import connect_sync
from bot.wechat.api import WeChatAPI
from bot.wechat.errors import APIError

MAX_TOP, MAX_SUB = 3, 5
# (bytes, Chinese characters) allowed for a label: Tencent documents the byte limits, its menu
# guide the character limits; both apply. An ASCII character counts as half a Chinese one.
TOP_LABEL, SUB_LABEL = (16, 4), (60, 8)
KEYED_TYPES = frozenset(
    {
        "click",
        "scancode_push",
        "scancode_waitmsg",
        "pic_sysphoto",
        "pic_photo_or_album",
        "pic_weixin",
        "location_select",
    }
)


def _button(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        raise ValueError("every menu entry needs a text label")
    if sum(name in entry for name in ("items", "key", "url")) > 1:
        raise ValueError(f"menu entry {entry['label']!r} needs only one of items, key or url")
    if "items" in entry:
        if not isinstance(entry["items"], list):
            raise ValueError(f"items of {entry['label']!r} must be a list")
        return {"name": entry["label"], "sub_button": [_button(item) for item in entry["items"]]}
    if "url" in entry:
        return {"type": "view", "name": entry["label"], "url": entry["url"]}
    button = {"type": "click", "name": entry["label"]}
    if "key" in entry:
        button["key"] = entry["key"]
    return button


def load_menu(path: str | Path | None = None) -> dict[str, Any]:
    """Read the YAML menu (default ``bot/dialogs/menu.yaml``) into the API's JSON shape."""
    return {"button": [_button(entry) for entry in read_menu(path)]}


def flow_problems(path: str | Path | None = None) -> list[str]:
    """Keys of the menu file that name no flow (the engine would refuse to start)."""
    return [f"key {key!r} names no flow" for key in unknown_keys(entries(path), default_flows())]


def label_width(label: str) -> float:
    """Width in Chinese characters: wide/full-width characters count 1, others 0.5."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in label)


def _label_problems(button: dict[str, Any], where: str, limits: tuple[int, int]) -> list[str]:
    name = button.get("name")
    if not isinstance(name, str) or not name.strip():
        return [f"{where}: label is missing"]
    max_bytes, max_chars = limits
    if utf8_len(name) > max_bytes:
        return [f"{where} {name!r}: label is longer than {max_bytes} bytes"]
    if label_width(name) > max_chars:
        return [f"{where} {name!r}: label is longer than {max_chars} Chinese characters"]
    return []


def _action_problems(button: dict[str, Any], where: str, keys: set[str]) -> list[str]:
    kind = button.get("type")
    if kind == "view":
        url = button.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            return [f"{where}: a view button needs an http(s) url"]
        return [f"{where}: url is longer than 1024 bytes"] if utf8_len(url) > 1024 else []
    if kind not in KEYED_TYPES:
        return [f"{where}: unsupported button type {kind!r}"]
    key = button.get("key")
    if not isinstance(key, str) or not key:
        return [f"{where}: missing key"]
    if utf8_len(key) > 128:
        return [f"{where}: key is longer than 128 bytes"]
    if key in keys:
        return [f"{where}: key {key!r} is used twice"]
    keys.add(key)
    return []


def validate_menu(menu: dict[str, Any]) -> list[str]:
    """Problems Tencent would refuse or truncate; an empty list means the menu can be published."""
    buttons = menu.get("button")
    if not isinstance(buttons, list) or not buttons:
        return ["the menu has no buttons"]
    problems = [f"{len(buttons)} top-level buttons (at most {MAX_TOP})"] if len(buttons) > MAX_TOP else []
    keys: set[str] = set()
    for i, top in enumerate(buttons, 1):
        where = f"button {i}"
        if not isinstance(top, dict):
            problems.append(f"{where}: not an object")
            continue
        problems += _label_problems(top, where, TOP_LABEL)
        subs = top.get("sub_button")
        if subs is None:
            problems += _action_problems(top, where, keys)
            continue
        if not isinstance(subs, list) or not subs:
            problems.append(f"{where}: sub_button must be a non-empty list")
            continue
        if len(subs) > MAX_SUB:
            problems.append(f"{where}: {len(subs)} items (at most {MAX_SUB})")
        for j, sub in enumerate(subs, 1):
            sub_where = f"{where}.{j}"
            if not isinstance(sub, dict):
                problems.append(f"{sub_where}: not an object")
                continue
            problems += _label_problems(sub, sub_where, SUB_LABEL)
            problems += _action_problems(sub, sub_where, keys)
    return problems


def _publish(menu: dict[str, Any], settings: Settings) -> None:
    if not settings.redis_url:
        print("No REDIS_URL: the access_token fetched here is not shared with the server.", file=sys.stderr)
    redis = connect_sync(settings.redis_url, settings.redis_timeout)
    api = WeChatAPI(settings.wechat_appid, settings.wechat_secret, redis, base_url=settings.wechat_api_base)
    try:
        asyncio.run(api.create_menu(menu))
    finally:
        api.close()
        redis.close()


def main(argv: list[str]) -> int:
    """``menu check`` / ``menu show`` / ``menu publish`` (the leading ``menu`` is optional)."""
    if argv[:1] == ["menu"]:
        argv = argv[1:]
    parser = argparse.ArgumentParser(prog="python -m bot menu", description="Custom menu of the account.")
    parser.add_argument("command", choices=["check", "show", "publish"])
    parser.add_argument("--file", help="menu YAML (default: bot/dialogs/menu.yaml)")
    args = parser.parse_args(argv)
    try:
        menu = load_menu(args.file)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"cannot read the menu: {exc}", file=sys.stderr)
        return 1
    if args.command == "show":
        print(json.dumps(menu, ensure_ascii=False, indent=2))
        return 0
    problems = validate_menu(menu) + flow_problems(args.file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if args.command == "check":
        items = sum(len(top.get("sub_button", [top])) for top in menu["button"])
        print(f"menu OK: {len(menu['button'])} buttons, {items} items")
        return 0
    settings = Settings()
    missing = [name for name, unset in (("WECHAT_APPID", "WECHAT_APPID" in settings.problems()),
                                        ("WECHAT_SECRET", not settings.wechat_secret)) if unset]
    if missing:
        print(f"set {' and '.join(missing)} to publish", file=sys.stderr)
        return 2
    try:
        _publish(menu, settings)
    except APIError as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return 1
    print("menu published")
    return 0
