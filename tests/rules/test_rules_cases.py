"""Household cases as data (tests/rules/cases/*.yaml), in the style of OpenFisca's YAML tests.

Each case gives a household in the API's JSON shape (merged over tests/rules/answered.yaml unless
`answered: false`), an optional `as_of` (default 2025-08-01) and expected statuses; optionally refs
(must be among the programme's refs), reason keys (must be among the reasons given), reason keys
that must not be given (`not_keys`), standards in force, the place to apply, the order of
programmes (`first`: the one listed first of 低保 and 特困) and open inputs (`open`: paths that must
be open; `closed`: paths that must not).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.rules import PROGRAM_IDS, Household, open_inputs, screen
from tests.rules.casefile import load_cases

DEFAULT_AS_OF = date(2025, 8, 1)
CASES = [pytest.param(case, id=f"{stem}: {case['name']}") for stem, case in load_cases()]


def test_case_set_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any]) -> None:
    household = Household.from_dict(case["household"])
    as_of = case.get("as_of", DEFAULT_AS_OF)
    result = screen(household, as_of)

    assert sorted(r.program for r in result.results) == sorted(PROGRAM_IDS)
    for program in result.results:
        assert program.reasons and program.refs and program.next_step
        assert all(reason.refs for reason in program.reasons)
    got = {r.program: r.status.value for r in result.results}
    assert {p: got[p] for p in case["expect"]} == case["expect"]
    for program, refs in case.get("refs", {}).items():
        assert set(refs) <= set(result.program(program).refs), program
    for program, keys in case.get("keys", {}).items():
        assert set(keys) <= set(result.program(program).keys), (program, result.program(program).keys)
    for program, keys in case.get("not_keys", {}).items():
        assert not set(keys) & set(result.program(program).keys), (program, result.program(program).keys)
    if "first" in case:
        order = [r.program for r in result.results if r.program in ("dibao", "tekun")]
        assert order[0] == case["first"]
    if "open" in case or "closed" in case:
        paths = {o.path for o in open_inputs(household, as_of)}
        assert set(case.get("open", [])) <= paths, paths
        assert not set(case.get("closed", [])) & paths, paths
    for name, value in case.get("standards", {}).items():
        entry = result.standards[name]
        assert (entry["value"] if entry else None) == value, name
    if "where" in case:
        assert result.where.place.value == case["where"]
