"""The phone numbers residents are given, read from data files and never typed into answers.

Why: a number typed into an answer or a template cannot be corrected in one place, and a wrong
emergency number can cost a life. Emergency and crisis numbers are in
`bot/data/emergency_numbers.yaml` (policy-facts §8, shared with the safety net); other public
numbers (12345) in `bot/data/public_numbers.yaml`. Both files have the same shape, ids are unique
across them, and knowledge answers name a number as `$[tel.<id>]`. This module is the one reader
of both files; `bot.safety.numbers` asks it for the emergency ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.errors import DataError

DATA_DIR = Path(__file__).parent / "data"
EMERGENCY_PATH = DATA_DIR / "emergency_numbers.yaml"
PUBLIC_PATH = DATA_DIR / "public_numbers.yaml"
DEFAULT_PATHS = (EMERGENCY_PATH, PUBLIC_PATH)


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    id: str
    number: str
    label: str
    source: str


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise DataError(f"{path.name}: expected `numbers:` (and, for emergencies, `general:`)")
    return data


def read_numbers(paths: Iterable[Path] = DEFAULT_PATHS) -> dict[str, PhoneNumber]:
    """Every number of the files by id; a repeated id or a number that is not digits is an error."""
    found: dict[str, PhoneNumber] = {}
    for path in paths:
        for key, raw in (_read(path).get("numbers") or {}).items():
            number = str(raw["number"]).strip()
            if not number.isdigit():
                raise DataError(f"{path.name}: {key}: the number must be digits, not {number!r}")
            if key in found:
                raise DataError(f"{path.name}: {key}: the id is already used by another number")
            found[key] = PhoneNumber(key, number, str(raw["label"]), str(raw["source"]).strip())
    return found


def general_ids(path: Path = EMERGENCY_PATH) -> list[str]:
    """Ids of the numbers given where danger to life is possible but its kind is not known."""
    ids = [str(key) for key in _read(path).get("general") or []]
    unknown = [key for key in ids if key not in read_numbers((path,))]
    if unknown:
        raise DataError(f"{path.name}: general names unknown ids {unknown}")
    return ids


@cache
def phonebook() -> dict[str, PhoneNumber]:
    """The shipped numbers (read once: templates and the contact reply use them)."""
    return read_numbers()
