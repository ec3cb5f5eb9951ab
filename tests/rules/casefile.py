"""The household cases (tests/rules/cases/*.yaml) as data, shared by the rules and the chat tests.

Each case names a household in the API's JSON shape, merged over the answers of a resident with
nothing special to say (`answered.yaml`) unless the case says `answered: false`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
CASES_DIR = HERE / "cases"
ANSWERED = yaml.safe_load((HERE / "answered.yaml").read_text(encoding="utf-8"))


def answered(household: dict[str, Any]) -> dict[str, Any]:
    """The household with every unnamed answer taken from answered.yaml."""
    members = [{**ANSWERED["member"], **member} for member in household["members"]]
    return {**ANSWERED["household"], **household, "members": members}


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """(file stem, case) pairs; each case's `household` merged unless `answered: false`."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            given = case["household"]
            household = given if case.get("answered", True) is False else answered(given)
            cases.append((path.stem, {**case, "household": household, "given": given}))
    return cases
