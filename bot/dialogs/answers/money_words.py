"""The words of amounts (amounts.yaml) and what one heard amount holds.

Why: `money_heard` finds the amounts in a reply, `money_tags` marks what each is said for and
`money_sum` makes one figure of them; all three read the same words and fill the same `Heard`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.text import fold

AMOUNTS_PATH = Path(__file__).with_name("amounts.yaml")


@cache
def amount_words() -> dict[str, Any]:
    raw = yaml.safe_load(AMOUNTS_PATH.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, dict):
            out[name] = {
                k: tuple(sorted((fold(w) for w in v), key=len, reverse=True)) for k, v in value.items()
            }
        else:
            out[name] = tuple(sorted((fold(str(w)) for w in value), key=len, reverse=True))
    return out


@dataclass
class Heard:
    low: Decimal
    high: Decimal
    start: int
    end: int
    before: str
    period: str = "month"
    factor: Decimal = Decimal(1)
    tags: set[str] = field(default_factory=set)
    excluded: str | None = None
    approx: bool = False
    times: tuple[Decimal, Decimal] = (Decimal(1), Decimal(1))  # "每只赚三百 … 养了六只": × 6


def has_word(text: str, name: str) -> bool:
    return any(w in text for w in amount_words()[name])
