"""open_inputs: which unanswered inputs could still change a result, and in which order."""

from __future__ import annotations

from datetime import date

from bot.rules import Household, OpenInput, open_inputs, screen
from tests.rules.casefile import answered

DAY = date(2025, 8, 1)


def paths(data: dict, **kwargs) -> list[str]:
    return [o.path for o in open_inputs(Household.from_dict(data), DAY, **kwargs)]


def test_a_fully_answered_household_has_nothing_open() -> None:
    assert paths(answered({"members": [{"relation": "applicant", "age": 45}]})) == []


def test_only_answers_that_can_change_a_result_are_open() -> None:
    alone = answered({"supporter": None, "members": [{"relation": "applicant", "age": 45}]})
    assert paths(alone) == []  # a 45-year-old cannot be 特困: who supports him does not matter
    elderly = answered({"supporter": None, "members": [{"relation": "applicant", "age": 75}]})
    assert set(paths(elderly)) == {"supporter", "members[0].children_elsewhere"}


def test_every_answer_of_an_open_input_is_tried() -> None:
    alone = {"members": [{"relation": "applicant", "age": 75}]}
    elderly = Household.from_dict(answered({**alone, "supporter": None}))
    found = {o.path: o for o in open_inputs(elderly, DAY)}["supporter"]
    assert isinstance(found, OpenInput) and found.changes == ("tekun",) and found.decides == ("tekun",)
    for value, status in (("able", "unlikely"), ("none", "likely")):
        household = Household.from_dict(answered({**alone, "supporter": value}))
        assert screen(household, DAY).program("tekun").status.value == status
    assert found.to_dict() == {"path": "supporter", "member": None, "field": "supporter",
                               "changes": ["tekun"], "decides": ["tekun"], "settles": []}


def test_likely_programmes_are_settled_first() -> None:
    # 临时救助 is likely (an emergency in a low-income household) until the household says it can cope;
    # 住房救助 is possible until the housing is answered.
    alone = {"members": [{"relation": "applicant", "age": 45}]}
    data = answered({**alone, "sudden_hardship": True, "housing": None})
    found = open_inputs(Household.from_dict(data), DAY)
    assert [o.path for o in found][:2] == ["hardship_beyond_means", "housing"]
    assert found[0].changes == ("linshi",)


def test_tekun_and_dibao_come_before_the_other_programmes() -> None:
    found = paths({"members": [{"relation": "applicant", "age": 72, "monthly_income": 300}]})
    assert found[0] == "hukou" and found.index("supporter") < found.index("housing")


def test_answers_that_only_make_sense_together_are_found_one_at_a_time() -> None:
    """Every property answer is needed for the property check: each one settles part of it."""
    data = answered({"members": [{"relation": "applicant", "age": 45}]})
    data.update(financial_assets=None, homes=None)
    found = {o.path: o for o in open_inputs(Household.from_dict(data), DAY)}
    assert {"financial_assets", "homes"} <= set(found)
    assert "dibao" in found["homes"].settles


def test_only_limits_the_search() -> None:
    data = {"members": [{"relation": "applicant", "age": 72, "monthly_income": 300}]}
    assert paths(data, only={"supporter"}) == ["supporter"]
    assert paths(data, only={"members[0].children_elsewhere"}) == ["members[0].children_elsewhere"]
    assert paths(data, only={"children_elsewhere"}) == ["members[0].children_elsewhere"]
    assert paths(data, only={"members[0].age"}) == []


def test_a_parent_at_home_is_not_an_unanswered_parent() -> None:
    family = answered({"members": [{"relation": "applicant", "age": 36}, {"relation": "spouse", "age": 35},
                                   {"relation": "child", "age": 9, "father": None, "mother": None}]})
    assert not {"members[2].father", "members[2].mother"} & set(paths(family))
    grandchild = answered({"members": [{"relation": "applicant", "age": 66},
                                       {"relation": "grandchild", "age": 9, "father": None, "mother": None}]})
    assert {"members[1].father", "members[1].mother"} <= set(paths(grandchild))


def test_income_costs_are_an_input_of_their_own() -> None:
    farmer = answered({"supporter": "none", "members": [
        {"relation": "applicant", "age": 66, "incomes": [{"kind": "farming", "monthly": 700}]}]})
    found = {o.path: o for o in open_inputs(Household.from_dict(farmer), DAY)}
    assert {"dibao", "tekun"} <= set(found["members[0].incomes[0].costs_monthly"].changes)
