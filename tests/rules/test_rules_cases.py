"""Household cases as data (tests/rules/cases/*.yaml), in the style of OpenFisca's YAML tests.

Each case gives a household in the API's JSON shape, an optional `as_of` (default 2025-08-01) and
expected statuses; optionally refs (must be among the programme's refs), reason keys (must be
among the reasons given), standards in force and the place to apply.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.rules import PROGRAM_IDS, Household, screen

CASES_DIR = Path(__file__).with_name("cases")
DEFAULT_AS_OF = date(2025, 8, 1)


def _cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


CASES = _cases()


def test_case_set_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any]) -> None:
    result = screen(Household.from_dict(case["household"]), case.get("as_of", DEFAULT_AS_OF))

    assert [r.program for r in result.results] == list(PROGRAM_IDS)
    for program in result.results:
        assert program.reasons and program.refs and program.next_step
        assert all(reason.refs for reason in program.reasons)
    got = {r.program: r.status.value for r in result.results}
    assert {p: got[p] for p in case["expect"]} == case["expect"]
    for program, refs in case.get("refs", {}).items():
        assert set(refs) <= set(result.program(program).refs), program
    for program, keys in case.get("keys", {}).items():
        assert set(keys) <= set(result.program(program).keys), (program, result.program(program).keys)
    for name, value in case.get("standards", {}).items():
        entry = result.standards[name]
        assert (entry["value"] if entry else None) == value, name
    if "where" in case:
        assert result.where.place.value == case["where"]
