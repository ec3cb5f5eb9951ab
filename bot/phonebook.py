"""The phone numbers residents are given, read from data files and never typed into answers.

Why: a number typed into an answer or a template cannot be corrected in one place, and a wrong
emergency number can cost a life. Emergency and crisis numbers are in
`bot/data/emergency_numbers.yaml` (policy-facts §8, shared with the safety net); other public
numbers (12345) in `bot/data/public_numbers.yaml`. Both files have the same shape, ids are unique
across them, and knowledge answers name a number as `$[tel.<id>]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

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


def read_numbers(paths: Iterable[Path] = DEFAULT_PATHS) -> dict[str, PhoneNumber]:
    """Every number of the files by id; a repeated id or a number that is not digits is an error."""
    found: dict[str, PhoneNumber] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, raw in (data.get("numbers") or {}).items():
            number = str(raw["number"]).strip()
            if not number.isdigit():
                raise ValueError(f"{path.name}: {key}: the number must be digits, not {number!r}")
            if key in found:
                raise ValueError(f"{path.name}: {key}: the id is already used by another number")
            found[key] = PhoneNumber(key, number, str(raw["label"]), str(raw["source"]).strip())
    return found


@cache
def phonebook() -> dict[str, PhoneNumber]:
    """The shipped numbers (read once: templates and the contact reply use them)."""
    return read_numbers()
