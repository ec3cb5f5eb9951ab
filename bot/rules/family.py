"""The 低保 household (共同生活的家庭成员) of an applicant, as policy-facts §2 defines it.

Why: the questionnaire lists everyone who lives together, but 低保 counts only the applicant's
spouse, children, and others with a legal duty of support who live with them: parents, and
grandparents, grandchildren or siblings where the law gives them a duty (the generation between
them dead or unable; a minor sibling). Siblings otherwise, in-laws, nephews and nieces are other
co-residents, left out of the household's size and income. A relation the answers leave open
(`other`, or a grandchild whose parents' situation is unknown) is `unclear`: the income test then
works with the lowest and the highest income per person it could give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.rules.household import Household, ParentStatus
from bot.rules.kinship import Kin, kin, parents_of, unavailable

Parents = Callable[[int], tuple[ParentStatus | None, ParentStatus | None]]


class Belongs(StrEnum):
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class Unit:
    """Members (indices) of one applicant's 低保 household."""

    reference: int
    counted: tuple[int, ...]
    unclear: tuple[int, ...]
    others: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (*self.counted, *self.unclear)


def _by_condition(condition: bool | None) -> Belongs:
    return Belongs.UNCLEAR if condition is None else Belongs.YES if condition else Belongs.NO


def _minor(age: int | None, adult: int) -> bool | None:
    return None if age is None else age < adult


def _belongs(household: Household, member: int, reference: int, relation: Kin, adult: int,
             parents: Parents) -> Belongs:
    if relation in (Kin.SPOUSE, Kin.CHILD, Kin.PARENT):
        return Belongs.YES
    if relation is Kin.GRANDCHILD:  # a duty holds when the grandchild's parents are dead or unable
        return _by_condition(unavailable(parents(member)))
    if relation is Kin.GRANDPARENT:
        return _by_condition(unavailable(parents(reference)))
    if relation is Kin.SIBLING:  # the code names one case: an elder sibling and a minor without parents
        for young, old in ((member, reference), (reference, member)):
            minor = _minor(household.members[young].age, adult)
            grown = _minor(household.members[old].age, adult)
            conditions = (minor, None if grown is None else not grown, unavailable(parents(young)))
            if conditions == (True, True, True):
                return Belongs.YES
            if None in conditions and False not in conditions:
                return Belongs.UNCLEAR
        return Belongs.NO
    return Belongs.NO


def unit_of(household: Household, reference: int, adult: int, parents: Parents | None = None) -> Unit:
    """The 低保 household of the member at `reference`; `adult` is the age of majority."""
    parents = parents or (lambda index: parents_of(household, index))
    counted = [reference]
    unclear: list[int] = []
    others: list[int] = []
    for index in range(len(household.members)):
        if index == reference:
            continue
        found = {_belongs(household, index, reference, relation, adult, parents)
                 for relation in kin(household, index, reference)}
        verdict = found.pop() if len(found) == 1 else Belongs.UNCLEAR
        {Belongs.YES: counted, Belongs.UNCLEAR: unclear, Belongs.NO: others}[verdict].append(index)
    return Unit(reference, tuple(counted), tuple(unclear), tuple(others))


def answerer(household: Household) -> int:
    """The member who answers (relation `applicant`), else the first member."""
    return next((i for i, m in enumerate(household.members) if m.relation.value == "applicant"), 0)
