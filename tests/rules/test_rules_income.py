"""Income as the rules count it (income.py): costs, kinds left out, ranges, and the dated rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml

from bot.rules.household import Household, IncomeKind, Member
from bot.rules.income import PLAIN_INCOME, Amount, member_income, per_person
from bot.rules.parameters import DEFAULT_PATH, load_parameters, parse_parameters

DAY = date(2025, 8, 1)
D = Decimal


def member(**data) -> Member:
    return Household.from_dict({"members": [{"relation": "applicant", **data}]}).members[0]


def counted(data: dict, program: str = "dibao", params=None, day: date = DAY,
            deduction: Decimal | None = None) -> Amount | None:
    return member_income(member(**data), program, params or load_parameters(), day, deduction)


def test_farm_sales_count_net_of_costs() -> None:
    amount = counted({"incomes": [{"kind": "farming", "monthly": 700, "costs_monthly": 400}]})
    assert (amount.low, amount.high) == (D(300), D(300))


def test_unknown_costs_give_a_range_from_nothing_to_the_sales() -> None:
    amount = counted({"incomes": [{"kind": "business", "monthly": 700}]})
    assert (amount.low, amount.high, amount.uncosted) == (D(0), D(700), {IncomeKind.BUSINESS})


@pytest.mark.parametrize(("kind", "program", "expected"), [
    ("special_care", "dibao", (0, 0)), ("special_care", "tekun", (0, 0)),
    ("family_planning", "dibao", (0, 0)), ("family_planning", "tekun", (0, 500)),
    ("assistance", "dibao", (0, 0)), ("reward", "dibao", (0, 0)),
    ("medical_insurance", "tekun", (0, 0)), ("medical_insurance", "dibao", (0, 500)),
    ("old_age_allowance", "tekun", (0, 0)), ("old_age_allowance", "dibao", (0, 500)),
    ("employee_pension", "dibao", (500, 500)), ("employee_pension", "tekun", (500, 500)),
    ("residents_pension", "dibao", (0, 500)), ("family_support", "tekun", (500, 500)),
])
def test_what_each_programme_counts(kind: str, program: str, expected: tuple[int, int]) -> None:
    amount = counted({"incomes": [{"kind": kind, "monthly": 500}]}, program)
    assert (amount.low, amount.high) == (D(expected[0]), D(expected[1]))


def _params(central_part: int | None):
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    entry = document["parameters"]["income.residents_pension_central_basic_monthly"]["provincial"][-1]
    entry["value"] = central_part
    return parse_parameters(document)


def test_a_known_central_basic_part_is_taken_off_the_residents_pension() -> None:
    amount = counted({"incomes": [{"kind": "residents_pension", "monthly": 200}]}, params=_params(150))
    assert (amount.low, amount.high, amount.partly) == (D(50), D(50), {IncomeKind.RESIDENTS_PENSION})
    pension = {"incomes": [{"kind": "residents_pension", "monthly": 200}]}
    after_the_plan = counted(pension, params=_params(150), day=date(2026, 1, 1))
    assert (after_the_plan.low, after_the_plan.high) == (D(0), D(200))
    assert counted({"incomes": [{"kind": "residents_pension", "monthly": 200}]}, "tekun",
                   params=_params(150)).high == D(50)


def test_before_the_first_rule_only_plain_income_is_certain() -> None:
    old = date(2020, 1, 1)
    assert counted({"incomes": [{"kind": "wages", "monthly": 500}]}, day=old).low == D(500)
    assert counted({"incomes": [{"kind": "special_care", "monthly": 500}]}, day=old).low == D(0)
    assert counted({"incomes": [{"kind": "special_care", "monthly": 500}]}, day=old).high == D(500)
    assert IncomeKind.SPECIAL_CARE not in PLAIN_INCOME


def test_the_employment_cost_comes_off_wages_or_an_employed_members_income() -> None:
    assert counted({"incomes": [{"kind": "wages", "monthly": 1300}]}, deduction=D(300)).low == D(1000)
    assert counted({"monthly_income": 1300, "employed": True}, deduction=D(300)).low == D(1000)
    assert counted({"monthly_income": 1300, "employed": False}, deduction=D(300)).low == D(1300)


def test_unknown_income() -> None:
    assert counted({}) is None
    assert counted({"incomes": [{"kind": "wages"}]}) is None
    assert counted({"monthly_income": 200, "incomes": []}).low == D(200)


def test_income_per_person_with_members_who_may_or_may_not_count() -> None:
    def exact(value: int) -> Amount:
        return Amount(D(value), D(value))
    result = per_person([exact(900), exact(300)], [exact(0), exact(3000)])
    assert result.low == D(1200) / 3  # counting the member without income lowers the average
    assert result.high == D(4200) / 3  # counting the earner raises it
    assert per_person([exact(900)], [None]) is None
    assert per_person([None], []) is None


def test_the_income_rules_name_known_kinds_and_cite_sources() -> None:
    params = load_parameters()
    for program in ("dibao", "tekun"):
        rule = params.income_rule(program, DAY)
        assert rule is not None and rule.source and rule.verified is False
        assert not (rule.not_counted | rule.unclear | set(rule.minus)) & PLAIN_INCOME - {IncomeKind.OTHER}
    assert params.income_rule("dibao", date(2021, 6, 30)) is None


@pytest.mark.parametrize(("change", "message"), [
    ({"not_counted": ["pocket_money"]}, "unknown income kind"),
    ({"minus": {"residents_pension": "no.such.parameter"}}, "unknown parameter"),
    ({"unclear": ["special_care"]}, "listed twice"),
    ({"source": ""}, "source"),
])
def test_malformed_income_rules_are_rejected(change: dict, message: str) -> None:
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    document["income_rules"]["dibao"]["entries"][0].update(change)
    with pytest.raises(ValueError, match=message):
        parse_parameters(document)


def test_costs_only_for_kinds_with_costs() -> None:
    with pytest.raises(ValueError, match="costs_monthly"):
        member(incomes=[{"kind": "employee_pension", "monthly": 900, "costs_monthly": 100}])
