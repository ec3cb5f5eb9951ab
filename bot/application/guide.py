"""Where to apply, what to bring and what happens next, from data files staff can edit.

Why: the chat and the H5 page (routes, documents, steps) need the same facts; they live in
`guide.yaml` (townships in `bot.townships`), and this module only selects what fits one
application: each programme's own route (法律援助 goes to 县司法局, 教育救助 to the school, not all to
办事通 "我要办低保"), a disability card only when someone in the household is disabled, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

GUIDE_PATH = Path(__file__).parent / "guide.yaml"


@cache
def _guide() -> dict[str, Any]:
    return yaml.safe_load(GUIDE_PATH.read_text(encoding="utf-8"))


def routes(programs: list[Mapping[str, Any]], township: Mapping[str, str] | None) -> list[dict[str, Any]]:
    """For each programme of the application: its name, where to apply, whether 办事通 applies."""
    guide = _guide()
    government = (township or {}).get("seat") or guide["generic_seat"]
    found = []
    for program in programs:
        route = guide["routes"].get(program["program"], guide["default_route"])
        found.append({
            "program": program["program"],
            "name": program["name"],
            "where": route["where"].format(government=government),
            "online": bool(route.get("online")),
        })
    return found


def steps(programs: list[Mapping[str, Any]] | None = None) -> list[dict[str, str]]:
    """Today's 低保/特困 procedure, when the application includes one of them."""
    guide = _guide()
    if programs is not None and not {p["program"] for p in programs} & set(guide["steps_for"]):
        return []
    return list(guide["steps"])


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
