"""Households (`members.py`): ages said for both of a couple or by pronoun, a relative with a home of
their own, and a size said as a clause of its own."""

from collections import Counter

import pytest

from bot.dialogs.answers.members import read_household


def people(text: str) -> tuple[Counter, Counter]:
    house = read_household(text)
    members = Counter((m.relation, m.age) for m in house.members)
    return members, Counter((g.relation, g.gone) for g in house.gone)


@pytest.mark.parametrize(("text", "members"), [
    ("就我们老两口 都是六十六了", {("spouse", 66): 1}),  # both that age
    ("两口子都有68岁", {("spouse", 68): 1}),
    ("老两口 都六十多了", {("spouse", None): 1}),  # about sixty: no whole age
    ("我跟我哥两个 我十九 他二十四", {("sibling", 24): 1}),  # the pronoun after the resident's age
])
def test_ages_said_for_both_or_by_pronoun(text: str, members: dict) -> None:
    assert people(text)[0] == Counter(members)


def test_ages_said_otherwise_stay_as_they_were() -> None:
    assert people("老两口 都没得病")[0] == Counter({("spouse", None): 1})  # 都 without an age
    assert people("我跟老伴 他七十三")[0] == Counter({("spouse", 73): 1})
    assert people("我跟我女儿 我四十 她在读书")[0] == Counter({("child", None): 1})  # no age said for her


def test_a_relative_with_a_home_of_their_own_lives_elsewhere() -> None:
    members, gone = people("我跟老伴住 姑娘在县城 自己有家")
    assert members == Counter({("spouse", None): 1}) and gone == Counter({("child", "lives_elsewhere"): 1})
    members, gone = people("我跟我哥住 他还没成家")  # not married yet: at home
    assert members == Counter({("sibling", None): 1}) and not gone


def test_a_size_said_as_a_clause_of_its_own_checks_the_people_named() -> None:
    assert "count" in read_household("两个人，我跟老婆，儿子在玉溪上班").doubts
    assert "count" not in read_household("两个人，我跟我老爹").doubts  # the size fits
    assert "count" not in read_household("我儿子 两个人都在打工").doubts  # not the household's size
