"""Households typed by someone else: relations turned to the applicant's side, and read back."""

from collections import Counter

import pytest

from bot.dialogs.answers.members import read_household


def reading(text: str) -> tuple[Counter, Counter, set[str]]:
    house = read_household(text)
    return (
        Counter((m.relation, m.age) for m in house.members),
        Counter((g.relation, g.gone) for g in house.gone),
        house.doubts,
    )


@pytest.mark.parametrize(
    ("text", "members", "gone"),
    [
        # a grandchild for a grandmother: her husband is the typer's grandfather
        ("帮我奶奶问一下 她七十多了 跟我爷爷两个住 爷爷八十", {("spouse", 80): 1}, {}),
        # a son-in-law for his wife's mother
        ("帮我岳母问 她和岳父住 岳父七十一", {("spouse", 71): 1}, {}),
        # a neighbour: 大妈 is the resident herself, and what is hers is said through 她
        (
            "帮隔壁李大妈问问 她老伴走了好几年了 她儿子在坐牢",
            {},
            {("spouse", "dead"): 1, ("child", "prison"): 1},
        ),
        # for a mother: the typer's brother is her son, the typer's father her husband
        ("替我妈填的 她六十九 我爸七十二 我弟弟跟他们住 三十", {("spouse", 72): 1, ("child", 30): 1}, {}),
    ],
)
def test_relations_are_turned_to_the_applicant(text: str, members: dict, gone: dict) -> None:
    got_members, got_gone, doubts = reading(text)
    assert got_members == Counter(members) and got_gone == Counter(gone)
    assert "speaker" in doubts  # whose words these are is a guess: the household is read back


def test_a_parent_asking_for_a_child_keeps_the_words_as_they_are() -> None:
    members, _, _ = reading("我帮我儿子问 他和媳妇住 媳妇三十")
    assert ("child_in_law", 30) not in members


def test_without_anyone_typing_for_someone_nothing_is_turned() -> None:
    members, _, doubts = reading("我和我爸住 我爸八十一")
    assert members == Counter({("parent", 81): 1}) and "speaker" not in doubts


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("帮我外公问的 他今年八十三了 跟我外婆住", 83),  # the applicant's age, not the typer's
        ("我二十五 帮我妈填 她五十九", 59),
        ("帮我爷爷问 他八十多了", None),  # no exact age
        ("替我爸问 他一个人住", None),  # 一个人 is no age
    ],
)
def test_the_applicants_own_age(text: str, age: int | None) -> None:
    assert read_household(text).self_age == age


def test_help_from_a_relative_is_not_typing_for_them() -> None:
    members, _, doubts = reading("我妈帮我照顾娃娃 问一下低保")
    assert members == Counter({("parent", None): 1, ("child", None): 1}) and "speaker" not in doubts
