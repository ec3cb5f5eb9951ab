"""The emergency and crisis numbers, read from the one data file that holds them.

`bot/data/emergency_numbers.yaml` is the only place a number like 120 is written: the danger
replies, the report flow and the contact replies ask here, so correcting a label or adding a
number is one edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

NUMBERS_PATH = Path(__file__).resolve().parent.parent / "data" / "emergency_numbers.yaml"


@dataclass(frozen=True, slots=True)
class EmergencyNumber:
    id: str
    number: str
    label: str


@cache
def _data() -> dict:
    return yaml.safe_load(NUMBERS_PATH.read_text(encoding="utf-8"))


@cache
def emergency_numbers() -> dict[str, EmergencyNumber]:
    """Id → number, in the file's order."""
    return {key: EmergencyNumber(key, str(item["number"]), str(item["label"]))
            for key, item in _data()["numbers"].items()}


def general_numbers(override: str = "") -> list[EmergencyNumber]:
    """The numbers for danger of an unknown kind; `override` (the EMERGENCY_NUMBERS setting, e.g.
    "110,120") replaces the file's list when set. Numbers not in the file keep an empty label."""
    known = emergency_numbers()
    if override.strip():
        by_number = {n.number: n for n in known.values()}
        wanted = [part.strip() for part in override.split(",") if part.strip()]
        return [by_number.get(n, EmergencyNumber(n, n, "")) for n in wanted]
    return [known[key] for key in _data()["general"]]
