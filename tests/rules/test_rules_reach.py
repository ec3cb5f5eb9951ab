"""reach: trying an answer re-evaluates only the programmes that read it, with the same results."""

from __future__ import annotations

import random
from datetime import date

from bot.rules import Household
from bot.rules.context import Context
from bot.rules.inputs import _unknown_slots, _values, _with
from bot.rules.parameters import load_parameters
from bot.rules.programs import evaluate_all
from bot.rules.reach import base_of, evaluate_variant, rebase
from tests.rules.casefile import load_cases

DAY = date(2025, 8, 1)


def _households() -> list[Household]:
    rng = random.Random(10)
    found = []
    for _, case in load_cases()[::4]:
        data = case["household"]
        thinned = {k: v for k, v in data.items() if k == "members" or rng.random() < 0.5}
        thinned["members"] = [{k: v for k, v in m.items() if k in ("relation", "age") or rng.random() < 0.5}
                              for m in data["members"]]
        found.append(Household.from_dict(thinned))
    return found


def test_a_tried_answer_gives_what_evaluating_everything_gives() -> None:
    params = load_parameters()
    tried = 0
    for household in _households():
        base = base_of(household, DAY, params)
        ctx = Context(household, DAY, params)
        for slot in _unknown_slots(household, ctx, None):
            field = "incomes" if slot.item is not None or slot.field == "monthly_income" else slot.field
            changed = frozenset({(slot.member, slot.field), (slot.member, field)})
            for value in _values(slot, household, ctx):
                variant = _with(household, slot, value)
                fast = evaluate_variant(base, variant, changed)
                full, _ = evaluate_all(Context(variant, DAY, params))
                assert {p: (e.status, e.open_checks) for p, e in fast.items()} == {
                    p: (e.status, e.open_checks) for p, e in full.items()}, (slot.path, value)
                tried += 1
    assert tried > 500


def test_each_programme_reads_only_some_answers() -> None:
    household = Household.from_dict({"hukou": "yuanjiang", "area": "rural", "members": [
        {"relation": "applicant", "age": 70}, {"relation": "grandchild", "age": 9}]})
    base = base_of(household, DAY, load_parameters())
    assert (None, "disaster_affected") in base.reads["shouzai"]
    assert (None, "disaster_affected") not in base.reads["tekun"]
    assert (None, "current_programs") in base.reads["standing"]


def test_a_rebased_household_has_the_base_evaluating_it_gives() -> None:
    """Both ways: an answer filled in, and left open again (the questionnaire's candidates)."""
    params = load_parameters()
    rebased = 0
    for household in _households():
        base = base_of(household, DAY, params)
        ctx = Context(household, DAY, params)
        for slot in _unknown_slots(household, ctx, None):
            for value in _values(slot, household, ctx)[:2]:
                variant = _with(household, slot, value)
                variant_base = base_of(variant, DAY, params)
                for near, near_base, target, target_base in ((household, base, variant, variant_base),
                                                             (variant, variant_base, household, base)):
                    got = rebase(near_base, near, target)
                    assert {p: (e.status, e.open_checks) for p, e in got.found.items()} == {
                        p: (e.status, e.open_checks) for p, e in target_base.found.items()}, slot.path
                    assert (got.band, got.standing, got.reads) == (
                        target_base.band, target_base.standing, target_base.reads), slot.path
                    rebased += 1
    assert rebased > 500
