"""Where to apply, what to bring and what happens next, from data files staff can edit.

Why: the chat (township list) and the H5 page (documents, steps, office) need the same facts; they
live in `bot/data/townships.yaml` and `guide.yaml`, and this module only selects what fits one
application (a disability card only when someone in the household is disabled, and so on).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

TOWNSHIPS_PATH = Path(__file__).parent.parent / "data" / "townships.yaml"
GUIDE_PATH = Path(__file__).parent / "guide.yaml"


@cache
def townships() -> tuple[dict[str, str], ...]:
    """The ten 乡镇(街道) of 元江, in their official order."""
    return tuple(yaml.safe_load(TOWNSHIPS_PATH.read_text(encoding="utf-8")))


def township(code: str | None) -> dict[str, str] | None:
    return next((t for t in townships() if t["code"] == code), None)


@cache
def _guide() -> dict[str, Any]:
    return yaml.safe_load(GUIDE_PATH.read_text(encoding="utf-8"))


def steps() -> list[dict[str, str]]:
    return list(_guide()["steps"])


def documents(payload: dict[str, Any]) -> list[str]:
    """Documents to bring for this application: the common ones plus those its answers call for."""
    guide = _guide()["documents"]
    members = payload["members"]
    needed = {
        "disability": any(m["disability_type"] or m["disability_grade"] for m in members),
        "serious_illness": any(m["serious_illness"] is True for m in members),
        "in_school": any(m["in_school"] for m in members),
        "residence_permit": payload["applicant"]["hukou"] == "yunnan_other",
        "proxy": True,
    }
    return [*guide["always"], *(text for name, text in guide["if"].items() if needed[name])]
