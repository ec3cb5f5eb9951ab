"""Numbers and amounts as residents say them: ranges, approximations, periods, sources, costs."""

from decimal import Decimal

import pytest

from bot.dialogs.answers.money import Amount, Problem, read_amount
from bot.dialogs.answers.numbers import find_numbers


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("三四百", 300, 400),
        ("五六百", 500, 600),
        ("三五千", 3000, 5000),
        ("七八千", 7000, 8000),
        ("一两千", 1000, 2000),
        ("几百", 200, 900),
        ("三百多", 300, 399),
        ("两万多", 20000, 29999),
        ("十几", 11, 19),
        ("一千二三", 1200, 1300),
        ("两千五", 2500, 2500),
        ("1.5万", 15000, 15000),
        ("一点五万", 15000, 15000),
        ("3万5", 35000, 35000),
        ("一万二", 12000, 12000),
        ("1,200", 1200, 1200),
    ],
)
def test_ranges_and_plain_numbers(text: str, low: int, high: int) -> None:
    [number] = find_numbers(text)
    assert (number.low, number.high) == (Decimal(low), Decimal(high))


def test_a_chinese_digit_next_to_an_arabic_one_is_two_numbers() -> None:
    assert [int(n.low) for n in find_numbers("老婆27 三个娃娃 大的10岁")] == [27, 3, 10]


def _month(text: str, size: int | None = None) -> tuple[float, float]:
    amount = read_amount(text, "month", size)
    assert isinstance(amount, Amount), text
    return amount.low, amount.high


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("大概三四百块", 300, 400),
        ("一年一万二左右", 900, 1100),
        ("两口子加起来六千左右", 5400, 6600),  # 两 counts people, not yuan
        ("三百来块", 270, 330),
        ("卖七百 剩三百", 300, 300),
        ("甘蔗一年卖两万 化肥种子去掉八千", 1000, 1000),
        ("一千 一千二 一千二左右", 1080, 1320),  # voice says it again, more exactly
        ("一个月 15 00块", 1500, 1500),
        ("一天八十 一个月做二十天", 1600, 1600),
        ("每人三百 我们四口人", 1200, 1200),
        ("儿子每个月给两百", 200, 200),
        ("一千八到两千", 1800, 2000),
        ("打工一个月两千 房租要五百", 2000, 2000),  # a living cost, not income
        ("不对 是八百 我刚才说多了", 800, 800),
    ],
)
def test_monthly_income(text: str, low: float, high: float) -> None:
    assert _month(text) == (low, high)


def test_money_低保_does_not_count_is_left_out_and_named() -> None:
    amount = read_amount("打工一个月两千 老伴养老金一百多", "month")
    assert isinstance(amount, Amount) and (amount.low, amount.high) == (2000, 2000)
    assert amount.excluded == ("pension_basic",)
    retired = read_amount("退休金一个月两千八", "month")
    assert isinstance(retired, Amount) and retired.low == 2800  # a retired worker's pension counts


def test_nothing_and_too_long() -> None:
    assert _month("没得收入 靠种点菜自己吃") == (0, 0)
    assert read_amount("1" * 27, "month") is Problem.TOO_LONG
    assert read_amount("随便", "month") is None


def test_totals_keep_savings_apart_from_debts() -> None:
    saved = read_amount("存了两三千 还欠信用社一万", "total")
    assert isinstance(saved, Amount) and (saved.low, saved.high) == (2000, 3000)
