"""The ten 乡镇(街道) of 元江, read once from `bot/data/townships.yaml`.

Applications, reports, staff pages and the contact reply all name townships; they all ask here,
so a correction staff make in the data file reaches every one of them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

TOWNSHIPS_PATH = Path(__file__).parent / "data" / "townships.yaml"


@cache
def townships() -> tuple[dict[str, str], ...]:
    """In their official order (codes 530428001–010)."""
    return tuple(yaml.safe_load(TOWNSHIPS_PATH.read_text(encoding="utf-8")))


def township(code: str | None) -> dict[str, str] | None:
    return next((t for t in townships() if t["code"] == code), None)
