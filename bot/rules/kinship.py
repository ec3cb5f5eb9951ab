"""How members are related to the person assessed, not only to the person answering.

Why: residents give each member's relation to themselves, but 特困 asks whether the person
*assessed* has a legal supporter, and the 低保 household is built around its applicant
(policy-facts §2, §7). A widowed daughter-in-law answering for her father-in-law is his
child-in-law, not his child, and owes him no support; her children are his grandchildren.

A relation is a path of steps — P parent, C child, S spouse, B sibling — e.g. 公婆 = SP (spouse's
parent). What X is to Y is inverse(path of Y) followed by the path of X, reduced by the rules a
family usually follows (my child's parent is me or my spouse, my spouse's child is my child …).
Where the answers allow several readings (a grandchild of one of several children), every reading
is kept and the rules treat the relation as unclear.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from bot.rules.household import Household, Member, ParentStatus, Relation


class Kin(StrEnum):
    """What one member is to another, as far as legal duties of support go."""

    SPOUSE = "spouse"
    CHILD = "child"
    GRANDCHILD = "grandchild"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    NONE = "none"  # in-laws, nephews and nieces, uncles and aunts, more distant kin: no duty


_ANY = "?"
_PATHS: dict[Relation, tuple[str, ...]] = {
    Relation.APPLICANT: ("",), Relation.SPOUSE: ("S",), Relation.CHILD: ("C",), Relation.PARENT: ("P",),
    Relation.GRANDPARENT: ("PP",), Relation.GRANDCHILD: ("CC",), Relation.SIBLING: ("B",),
    Relation.PARENT_IN_LAW: ("SP",), Relation.CHILD_IN_LAW: ("CS",), Relation.SIBLING_IN_LAW: ("SB", "BS"),
    Relation.NEPHEW_NIECE: ("BC", "SBC"), Relation.UNCLE_AUNT: ("PB",), Relation.OTHER: (_ANY,),
}
_REWRITE: dict[str, tuple[str, ...]] = {
    "SS": ("",), "CP": ("", "S"), "PC": ("", "B"), "BB": ("", "B"),
    "BP": ("P",), "CB": ("C",), "SC": ("C",), "PS": ("P",),
}
_TERMS = {"S": Kin.SPOUSE, "C": Kin.CHILD, "CC": Kin.GRANDCHILD, "P": Kin.PARENT, "PP": Kin.GRANDPARENT,
          "B": Kin.SIBLING}
_UNAVAILABLE = frozenset({ParentStatus.DECEASED, ParentStatus.MISSING, ParentStatus.INCARCERATED,
                          ParentStatus.DISABLED_OR_ILL})
UNCLEAR = frozenset(Kin)


def _inverse(path: str) -> str:
    return "".join({"P": "C", "C": "P"}.get(step, step) for step in reversed(path))


def _reduced(path: str) -> set[str]:
    """Every irreducible form of a path (each rewrite shortens it, so this ends)."""
    done, todo, seen = set(), [path], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        pairs = [i for i in range(len(current) - 1) if current[i:i + 2] in _REWRITE]
        if not pairs:
            done.add(current)
        for i in pairs:
            todo += [current[:i] + r + current[i + 2:] for r in _REWRITE[current[i:i + 2]]]
    return done


@cache
def kin_between(of: Relation, to: Relation) -> frozenset[Kin]:
    """What a member with relation `of` (to the person answering) may be to one with relation `to`;
    several values mean the answers allow several readings."""
    found: set[Kin] = set()
    for target in _PATHS[to]:
        for source in _PATHS[of]:
            if _ANY in target + source:
                return UNCLEAR
            forms = _reduced(_inverse(target) + source) - {""}  # "" would be the same person
            found |= {_TERMS.get(form, Kin.NONE) for form in forms}
    return frozenset(found) or UNCLEAR


def kin(household: Household, of: int, to: int) -> frozenset[Kin]:
    """What member `of` may be to member `to` (indices into household.members)."""
    members = household.members
    return kin_between(members[of].relation, members[to].relation)


def as_parent(member: Member) -> ParentStatus | None:
    """A parent living in the household: able unless seriously ill or severely disabled."""
    if member.serious_illness or member.disability_grade in (1, 2):
        return ParentStatus.DISABLED_OR_ILL
    return None if member.serious_illness is None else ParentStatus.ABLE


def parents_of(household: Household, index: int) -> tuple[ParentStatus | None, ParentStatus | None]:
    """A member's (father, mother): the answers given, an unanswered one filled from a parent who
    lives in the household (a child living with both healthy parents needs no parents' question)."""
    member = household.members[index]
    at_home = [as_parent(other) for i, other in enumerate(household.members)
               if i != index and kin(household, i, index) == {Kin.PARENT}]
    slots = [member.father, member.mother]
    for slot, value in enumerate(slots):
        if value is None and at_home:
            slots[slot] = at_home.pop(0)
    return slots[0], slots[1]


def unavailable(parents: tuple[ParentStatus | None, ParentStatus | None]) -> bool | None:
    """Both parents dead, missing, in prison or severely disabled/ill: True; one able: False."""
    if ParentStatus.ABLE in parents:
        return False
    if None in parents:
        return None
    return set(parents) <= _UNAVAILABLE
