"""Resident-facing Chinese wording, loaded from texts.yaml.

Why: wording is edited by staff and reviewed separately from logic, so it lives in a data file;
rules refer to messages by dotted key and fill `{placeholders}` with str.format.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEXTS_PATH = Path(__file__).with_name("texts.yaml")


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{dotted}."))
        else:
            flat[dotted] = str(value).strip()
    return flat


@lru_cache(maxsize=1)
def messages() -> dict[str, str]:
    """Every message keyed by its dotted path, e.g. `dibao.income.below`."""
    with TEXTS_PATH.open(encoding="utf-8") as handle:
        return _flatten(yaml.safe_load(handle))


def render(key: str, **values: object) -> str:
    """Fill one message; a missing key or placeholder is a programming error and raises KeyError."""
    return messages()[key].format(**values)
