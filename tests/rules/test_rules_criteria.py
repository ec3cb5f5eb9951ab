"""Unit tests of single criteria and helpers, beside the household cases."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.rules import Household, screen, where_to_apply
from bot.rules.context import Context, Position
from bot.rules.criteria import Outcome, Status, best_status, failed, from_status, passed, status_of, unknown
from bot.rules.dibao import income_test, single_person_route
from bot.rules.household import HOUSEHOLD_DEFAULTS, MEMBER_DEFAULTS, Member, Relation
from bot.rules.income import Amount
from bot.rules.parameters import DEFAULT_PATH, load_parameters, parse_parameters
from bot.rules.texts import messages
from bot.rules.where import Place
from tests.rules.casefile import answered

DAY = date(2025, 8, 1)
RULES_DIR = Path(__file__).resolve().parents[2] / "bot" / "rules"


def ctx_for(data: dict, params=None, day: date = DAY) -> Context:
    return Context(Household.from_dict(data), day, params or load_parameters())


def one(**member) -> dict:
    """A 45-year-old living alone who answered everything (tests/rules/answered.yaml)."""
    return answered({"members": [{"relation": "applicant", "age": 45, **member}]})


def test_status_is_a_three_valued_and() -> None:
    ok, no, maybe = passed("work.able", (1,)), failed("work.able", (1,)), unknown("work.assess", (1,))
    assert status_of([ok, ok]) is Status.LIKELY
    assert status_of([ok, maybe]) is Status.POSSIBLE
    assert status_of([maybe, no]) is Status.UNLIKELY
    assert best_status(Status.UNLIKELY, Status.POSSIBLE) is Status.POSSIBLE


def test_from_status_picks_the_outcome_message() -> None:
    criterion = from_status(Status.POSSIBLE, "jiaoyu.means", (5,))
    assert (criterion.key, criterion.outcome) == ("jiaoyu.means.unknown", Outcome.UNKNOWN)
    assert criterion.text == messages()["jiaoyu.means.unknown"]


@pytest.mark.parametrize(("amount", "expected"), [
    ("503", Position.BELOW), ("503.99", Position.BELOW), ("504", Position.NEAR), ("560", Position.NEAR),
    ("616", Position.NEAR), ("616.01", Position.ABOVE),
])
def test_position_uses_an_exact_ten_percent_margin(amount: str, expected: Position) -> None:
    value = Decimal(amount)
    assert ctx_for(one()).position(Amount(value, value), Decimal(560)) is expected


@pytest.mark.parametrize(("low", "high", "expected"), [
    ("0", "400", Position.BELOW), ("0", "700", Position.RANGE), ("520", "600", Position.NEAR),
    ("620", "5000", Position.ABOVE), ("540", "5000", Position.RANGE),
])
def test_a_range_across_the_line_is_neither_below_nor_above(low: str, high: str, expected: Position) -> None:
    assert ctx_for(one()).position(Amount(Decimal(low), Decimal(high)), Decimal(560)) is expected


@pytest.mark.parametrize(("member", "key", "outcome"), [
    ({"age": 60}, "work.elderly", Outcome.PASSED),
    ({"age": 59}, "work.able", Outcome.FAILED),
    ({"age": 15}, "work.minor", Outcome.PASSED),
    ({"age": 16}, "work.able", Outcome.FAILED),
    ({"age": 30, "disability_type": "intellectual", "disability_grade": 3}, "work.disability",
     Outcome.PASSED),
    ({"age": 30, "disability_type": "physical", "disability_grade": 3}, "work.able", Outcome.FAILED),
    ({"age": 30, "disability_type": "visual", "disability_grade": 1}, "work.disability", Outcome.PASSED),
    ({"age": 30, "disability_type": "hearing", "disability_grade": 1}, "work.able", Outcome.FAILED),
    ({"age": 30, "disability_type": "multiple", "disability_grade": 2}, "work.multiple", Outcome.UNKNOWN),
    ({"age": 30, "disability_type": "mental"}, "work.grade_unknown", Outcome.UNKNOWN),
    ({"age": 30, "able_to_work": False}, "work.assess", Outcome.UNKNOWN),
    ({"age": None}, "work.assess", Outcome.UNKNOWN),
])
def test_work_ability(member: dict, key: str, outcome: Outcome) -> None:
    ctx = ctx_for(answered({"members": [{"relation": "applicant", **member}]}))
    criterion = ctx.lacks_work_ability(ctx.members[0])
    assert (criterion.key, criterion.outcome) == (key, outcome)


def _params_with(**values):
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    for name, value in values.items():
        document["parameters"][name]["provincial"][-1]["value"] = value
    return parse_parameters(document)


def test_known_employment_cost_is_deducted_before_the_income_test() -> None:
    data = one(employed=True, monthly_income=700)
    assert income_test(ctx_for(data)).key == "dibao.income.employment_cost"
    deducted = income_test(ctx_for(data, _params_with(**{"jiuye.employment_cost_deduction_monthly": 200})))
    assert deducted.key == "dibao.income.below" and deducted.outcome is Outcome.PASSED
    assert deducted.values["amount"] == "500"


def test_known_transition_period_is_named_in_months() -> None:
    data = {**one(employed=True, monthly_income=1300), "current_programs": ["dibao"]}
    criterion = income_test(ctx_for(data, _params_with(**{"jiuye.transition_months": 6})))
    assert criterion.key == "dibao.income.transition_months" and "6个月" in criterion.text
    assert 7 in criterion.refs


def test_single_person_route_needs_more_than_one_member() -> None:
    alone = one(disability_type="physical", disability_grade=1, monthly_income=700)
    assert single_person_route(ctx_for(alone)) is None


@pytest.mark.parametrize(("data", "place"), [
    ({"hukou": "yuanjiang"}, Place.HUKOU_TOWNSHIP),
    ({"hukou": "yunnan_other", "residence_permit_years": 0.9}, Place.HUKOU_ELSEWHERE),
    ({"hukou": "yunnan_other", "residence_permit_years": 1}, Place.RESIDENCE_TOWNSHIP),
    ({"hukou": "outside_yunnan", "residence_permit_years": 3}, Place.OUTSIDE_YUNNAN),
    ({"hukou": None}, Place.UNKNOWN),
])
def test_where_to_apply(data: dict, place: Place) -> None:
    where = where_to_apply(Household.from_dict({**one(), **data}), DAY)
    assert where.place is place
    assert where.here is (place in (Place.HUKOU_TOWNSHIP, Place.RESIDENCE_TOWNSHIP))
    assert where.criterion.refs == (18,)


def test_next_step_names_the_place_from_where_to_apply() -> None:
    place_text = messages()["place.residence_township"]
    result = screen(Household.from_dict({**one(), "hukou": "yunnan_other", "residence_permit_years": 2}), DAY)
    assert place_text in result.program("dibao").next_step
    outside = screen(Household.from_dict({**one(), "hukou": "outside_yunnan", "sudden_hardship": True}), DAY)
    assert outside.program("dibao").next_step == messages()["next_unlikely.outside_yunnan"]
    assert messages()["place.emergency"] in outside.program("linshi").next_step


def test_rural_result_never_states_a_payment_amount() -> None:
    result = screen(Household.from_dict(one()), DAY)
    assert "分类施保" in result.program("dibao").next_step
    assert not any(re.search(r"\d", r.next_step) for r in result.results)


def test_result_is_json_ready_and_complete() -> None:
    result = screen(Household.from_dict(one()), DAY)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["as_of"] == "2025-08-01" and len(data["results"]) == 13
    assert data["standards"]["dibao.rural_monthly"]["value"] == 560
    assert data["notice"] == result.notice and "不是审批结果" in data["notice"]


def test_reasons_list_failures_first() -> None:
    result = screen(Household.from_dict(one(monthly_income=2000)), DAY)
    outcomes = [r.outcome for r in result.program("dibao").reasons]
    order = [Outcome.FAILED, Outcome.UNKNOWN, Outcome.PASSED]
    assert outcomes[0] is Outcome.FAILED and outcomes == sorted(outcomes, key=order.index)


@pytest.mark.parametrize("data", [
    {"members": []},
    {"members": [{"relation": "boss"}]},
    {"members": [{"relation": "applicant", "disability_grade": 5}]},
    {"members": [{"relation": "applicant"}], "hukou": "beijing"},
    {"members": [{"relation": "applicant"}], "current_programs": ["welfare"]},
    {"members": [{"relation": "applicant"}], "name": "x"},
])
def test_household_from_dict_rejects_bad_input(data: dict) -> None:
    with pytest.raises(ValueError):
        Household.from_dict(data)


def test_every_default_is_unknown() -> None:
    """Issue 12: a missing answer is unknown, never a "no" (the API reuses these defaults)."""
    member = Member(Relation.APPLICANT)
    assert all(getattr(member, name) is None for name in MEMBER_DEFAULTS)
    assert set(HOUSEHOLD_DEFAULTS.values()) == {None}


def test_texts_type_no_amounts_and_no_stray_spaces() -> None:
    """Amounts come from parameters; the wording file never types one (nor folds lines into spaces)."""
    assert not [k for k, v in messages().items() if re.search(r"\d{3,}", v)]
    assert not [k for k, v in messages().items() if " " in v]


def test_no_chinese_in_python_string_literals() -> None:
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    offenders = []
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        offenders += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and id(node) not in docstrings and cjk.search(node.value)]
    assert offenders == []


GUESS_MARKERS = ("看起来", "按您说的")


def test_an_unlikely_reason_states_a_guess_as_a_guess() -> None:
    """Issue 12: a failed check is what the answers suggest ("看起来不属于…"), never a verdict."""
    from tests.rules.casefile import load_cases

    failed_texts = set()
    for _, case in load_cases():
        result = screen(Household.from_dict(case["household"]), case.get("as_of", DAY))
        failed_texts |= {(r.key, r.text) for program in result.results for r in program.reasons
                         if r.outcome is Outcome.FAILED}
    assert len(failed_texts) >= 40
    assert [key for key, text in failed_texts if not any(m in text for m in GUESS_MARKERS)] == []
    by_name = [k for k, v in messages().items() if k.endswith((".above", ".failed", ".no"))]
    assert [k for k in by_name if not any(m in messages()[k] for m in GUESS_MARKERS)] == []
