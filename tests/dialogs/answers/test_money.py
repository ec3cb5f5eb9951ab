"""Amounts (`money.py`, `money_heard.py`): a sum held once and then spent is not held now; a figure
named as earned after a benefit is earnings."""

import pytest

from bot.dialogs.answers.money import Amount, read_amount


@pytest.mark.parametrize(("text", "expected"), [
    ("以前有五千块 给娃娃交学费花光了", (0, 0)),  # once held, spent
    ("本来存了一万多 去年老伴看病用完了 现在莫得了", (0, 0)),
    ("之前攒了两万 现在还剩八千", (8000, 8000)),  # once, then what is left now
])
def test_a_sum_held_once_then_spent_is_what_is_left(text: str, expected: tuple[int, int]) -> None:
    amount = read_amount(text, "total")
    assert isinstance(amount, Amount) and (amount.low, amount.high) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("存款有六千 老伴那里没有了", (6000, 6000)),  # not said as once held: kept
    ("看病花了一万二 还没有报销", (12000, 12000)),  # a cost, not a sum held
])
def test_a_sum_held_now_is_kept(text: str, expected: tuple[int, int]) -> None:
    amount = read_amount(text, "total")
    assert isinstance(amount, Amount) and (amount.low, amount.high) == expected


def test_a_figure_named_as_earned_after_a_benefit_is_earnings() -> None:
    amount = read_amount("家里是吃低保的 我自己挣的一个月四百左右", "month")
    assert isinstance(amount, Amount) and amount.low <= 400 <= amount.high and not amount.excluded
    benefit = read_amount("挣的钱不够用 低保一个月六百", "month")  # the benefit named last is left out
    assert isinstance(benefit, Amount) and benefit.high == 0 and benefit.excluded == ("dibao_payment",)


def test_one_of_them_earning_is_not_an_amount_per_person() -> None:
    one = read_amount("我们两口子 一个人在砖厂上班 一个月两千二", "month", size=2)
    assert isinstance(one, Amount) and (one.low, one.high) == (2200, 2200)
    each = read_amount("一人一个月八百", "month", size=2)  # each of them: per person, times two
    assert isinstance(each, Amount) and (each.low, each.high) == (1600, 1600)


def test_a_correction_that_only_says_the_figure_was_a_years() -> None:
    amount = read_amount("六千 不对 那个是一年的", "month")
    assert isinstance(amount, Amount) and (amount.low, amount.high) == (500, 500) and "yearly" in amount.notes
    other = read_amount("六千 不对 是五千", "month")  # a correction of the figure itself: the new one
    assert isinstance(other, Amount) and (other.low, other.high) == (5000, 5000)


def test_a_bare_figure_correcting_one_of_several_corrects_the_last_only() -> None:
    from bot.dialogs.screening_reading import read

    assert read("income", "老公跑车一个月两千 我洗碗一个月九百 哦不对 八百") == [2800.0, 2800.0]
    assert read("income", "一个月九百 不对 是八百") == [800.0, 800.0]  # unchanged: one figure, replaced
