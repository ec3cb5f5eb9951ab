"""Where to apply, what to bring and what happens next, from data files staff can edit.

Why: the chat and the H5 page (documents, steps, office) need the same facts; they live in
`guide.yaml` (townships in `bot.townships`), and this module only selects what fits one
application (a disability card only when someone in the household is disabled, and so on).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

GUIDE_PATH = Path(__file__).parent / "guide.yaml"


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
