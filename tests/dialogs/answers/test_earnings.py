"""Who earns and the month's income read from one reply (bot/dialogs/answers/earnings.py)."""

from datetime import date

import pytest

from bot.dialogs.answers.kinds import Ask, kind

ASK = Ask(date(2026, 12, 1), size=2)


def read(text: str) -> dict | None:
    parsed = kind("earnings").parse(text, ASK)
    return None if parsed is None else parsed.value


@pytest.mark.parametrize(
    ("text", "work", "income"),
    [
        ("我和老伴种甘蔗 一个月四百多", ["self", "spouse"], (400, 500)),
        ("我和老倌两个还在种田 卖了一个月七百来块", ["self", "spouse"], (600, 800)),  # 两个: people
        ("儿子在昆明打工 一个月两千左右", ["child"], (1800, 2200)),
        ("我在打零工 婆婆做不动 种点菜卖 一个月一千五左右", ["self"], (1350, 1650)),  # not 婆婆
        ("都没有工作 没有收入", False, (0, 0)),
        ("都没干活，一分都没有", False, (0, 0)),
    ],
)
def test_one_reply_answers_both(text: str, work: object, income: tuple[int, int]) -> None:
    found = read(text)
    assert found is not None and found["work"] == work
    low, high = income
    assert low <= found["income"]["low"] <= found["income"]["high"] <= high


def test_a_reply_about_work_alone_leaves_the_income_open() -> None:
    assert read("老伴种地 我没有工作") == {"work": ["spouse"]}  # 没有工作 is not "no income"


def test_an_amount_alone_leaves_who_earns_open() -> None:
    found = read("一个月八百左右")
    assert found is not None and "work" not in found and found["income"]["high"] > 0


def test_a_pasted_number_is_a_problem_not_an_answer() -> None:
    parsed = kind("earnings").parse("1" * 27, ASK)
    assert parsed is not None and parsed.value is None and parsed.problem is not None


def test_a_yearly_figure_is_converted_and_flagged_for_the_read_back() -> None:
    parsed = kind("earnings").parse("我种芒果 一年一万二", ASK)
    assert parsed is not None and parsed.readback == "yearly"
    assert parsed.value["income"]["low"] == 1000
