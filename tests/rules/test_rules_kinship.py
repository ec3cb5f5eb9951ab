"""Relations relative to any member (kinship.py) and the 低保 household they give (family.py)."""

from __future__ import annotations

import pytest

from bot.rules import Household
from bot.rules.family import answerer, unit_of
from bot.rules.household import ParentStatus, Relation
from bot.rules.kinship import UNCLEAR, Kin, kin_between, parents_of, unavailable

R = Relation


@pytest.mark.parametrize(("of", "to", "expected"), [
    # the widowed daughter-in-law (answering) and her father-in-law
    (R.APPLICANT, R.PARENT_IN_LAW, {Kin.NONE}),
    (R.CHILD, R.PARENT_IN_LAW, {Kin.GRANDCHILD}),
    (R.SPOUSE, R.PARENT_IN_LAW, {Kin.CHILD}),
    (R.PARENT_IN_LAW, R.PARENT_IN_LAW, {Kin.SPOUSE}),
    # a son answering for his mother
    (R.APPLICANT, R.PARENT, {Kin.CHILD}),
    (R.SIBLING, R.PARENT, {Kin.CHILD}),
    (R.SPOUSE, R.PARENT, {Kin.NONE}),
    (R.CHILD, R.PARENT, {Kin.GRANDCHILD}),
    (R.PARENT, R.PARENT, {Kin.SPOUSE}),
    # a grandparent answering for a grandchild
    (R.APPLICANT, R.GRANDCHILD, {Kin.GRANDPARENT}),
    (R.CHILD, R.GRANDCHILD, {Kin.PARENT, Kin.NONE}),  # the child's parent, or an uncle or aunt
    (R.APPLICANT, R.CHILD, {Kin.PARENT}),
    (R.SPOUSE, R.CHILD, {Kin.PARENT}),
    (R.CHILD, R.CHILD, {Kin.SIBLING}),
    (R.CHILD_IN_LAW, R.CHILD, {Kin.SPOUSE, Kin.NONE}),
    (R.NEPHEW_NIECE, R.APPLICANT, {Kin.NONE}),
    (R.NEPHEW_NIECE, R.PARENT, {Kin.GRANDCHILD, Kin.NONE}),
    (R.APPLICANT, R.SIBLING, {Kin.SIBLING}),
    (R.UNCLE_AUNT, R.APPLICANT, {Kin.NONE}),
])
def test_relation_to_the_person_assessed(of: Relation, to: Relation, expected: set[Kin]) -> None:
    assert kin_between(of, to) == expected


def test_a_relative_of_unknown_kind_is_unclear() -> None:
    assert kin_between(R.OTHER, R.APPLICANT) == UNCLEAR
    assert kin_between(R.CHILD, R.OTHER) == UNCLEAR


def _household(*members: dict) -> Household:
    return Household.from_dict({"members": list(members)})


def test_parents_at_home_fill_unanswered_parents() -> None:
    household = _household({"relation": "applicant", "age": 36, "serious_illness": False},
                           {"relation": "spouse", "age": 35, "serious_illness": True},
                           {"relation": "child", "age": 9})
    assert parents_of(household, 2) == (ParentStatus.ABLE, ParentStatus.DISABLED_OR_ILL)
    single = _household({"relation": "applicant", "age": 36, "serious_illness": False},
                        {"relation": "child", "age": 9, "mother": "missing"})
    assert parents_of(single, 1) == (ParentStatus.ABLE, ParentStatus.MISSING)
    grandchild = _household({"relation": "applicant", "age": 66}, {"relation": "grandchild", "age": 9})
    assert parents_of(grandchild, 1) == (None, None)


@pytest.mark.parametrize(("parents", "expected"), [
    (("deceased", "incarcerated"), True), (("able", None), False), ((None, "deceased"), None),
])
def test_unavailable_parents(parents: tuple, expected: bool | None) -> None:
    assert unavailable(tuple(None if p is None else ParentStatus(p) for p in parents)) is expected


def test_the_dibao_household_of_the_person_answering() -> None:
    household = _household(
        {"relation": "applicant", "age": 42}, {"relation": "parent_in_law", "age": 74},
        {"relation": "child", "age": 12}, {"relation": "sibling", "age": 40},
        {"relation": "grandchild", "age": 3}, {"relation": "other", "age": 20},
    )
    unit = unit_of(household, answerer(household), 18)
    assert (unit.counted, unit.unclear, unit.others) == ((0, 2), (4, 5), (1, 3))
    assert unit_of(household, 1, 18).counted == (1,)  # the father-in-law's own household


def test_a_minor_sibling_without_parents_belongs_to_an_adult_sibling() -> None:
    household = _household({"relation": "applicant", "age": 22},
                           {"relation": "sibling", "age": 14, "father": "deceased", "mother": "deceased"})
    assert unit_of(household, 0, 18).counted == (0, 1)
    unknown_age = _household({"relation": "applicant", "age": 22},
                             {"relation": "sibling", "father": "deceased", "mother": "deceased"})
    assert unit_of(unknown_age, 0, 18).unclear == (1,)
