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
        ("两千半", 2500, 2500),  # a half of the last unit (a Decimal, not a float)
        ("一千五百多", 1500, 1599),
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
        ("儿子在外头 每个月寄一千五左右回来", 1350, 1650),  # money sent home: 回 is not "times"
        ("姑娘一年拿六千回家", 500, 500),
        ("工资八百块都不到", 640, 800),  # 都不到 after the amount: under it
        ("女儿隔三个月打一千二回来", 400, 400),  # per three months
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


@pytest.mark.parametrize(
    ("text", "period", "low", "high"),
    [
        ("养了六只羊 卖了 每只赚三百", "year", 1800, 1800),  # per unit × the count said
        ("一趟挣个两三百 一个月跑个五六趟", "month", 1000, 1800),
        ("住院一个月花三千 报了还要出一千 住了四个月", "total", 4000, 4000),  # months, for a total
        ("一个月卖菜六百 本钱去了一半", "month", 300, 300),  # a share of the takings is costs
        ("寄回来三千五千的", "month", 3000, 5000),  # two amounts of one unit: a range
        ("我自己嘛 七十三了 老伴每个月给我两百", "month", 200, 200),  # "七十三了" is an age
        ("今年五十九 在砖厂做 一个月一千八", "month", 1800, 1800),
        ("卖茶叶一年一万 化肥请工一共花了四千", "year", 6000, 6000),  # a cost total is a cost
    ],
)
def test_amounts_counted_over_units_months_and_shares(text: str, period: str, low: int, high: int) -> None:
    amount = read_amount(text, period)
    assert isinstance(amount, Amount)
    assert (amount.low, amount.high) == (low, high)


def test_eleven_is_one_number_before_months() -> None:
    assert [n.low for n in find_numbers("十一个月")] == [11]
    assert [n.low for n in find_numbers("一万二一年")] == [12000, 1]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("二十来万", 180000, 220000), ("五十多万", 500000, 599999), ("两千多", 2000, 2999)],
)
def test_an_approximation_before_a_bigger_unit_is_of_that_unit(text: str, low: int, high: int) -> None:
    number = find_numbers(text)[0]
    assert (number.low, number.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("text", "period", "low", "high"),
    [
        # what is kept replaces the harvest's takings, not a wage said for the month before it
        ("女婿每个月寄五百 一年卖核桃六千 肥料去掉两千 剩四千", "month", 833.33, 833.33),
        # a wage paid only some months of the year, over the year
        ("在饭店洗碗一个月九百 一年干八个月", "month", 600, 600),
        # the figure now replaces the one before; a past one gives way
        ("以前一个月两千 现在是零", "month", 0, 0),
        ("一个月六百 那是前年 现在一个月四百", "month", 400, 400),
        ("原来有一万 后来用了 现在剩两千", "total", 2000, 2000),
        # a rough amount said again more exactly is one amount
        ("花了好几千 估计六七千", "total", 6000, 7000),
        ("嫁出去了 自己一个月挣七百", "month", 700, 700),  # 嫁出去了 deducts nothing
        # sent every two or three months: a third to a half of it a month
        ("女儿隔两三个月寄六百回来", "month", 200, 300),
        ("剩八百多一点", "month", 800, 920),  # 多一点: a little over
    ],
)
def test_amounts_said_over_time_and_again(text: str, period: str, low: float, high: float) -> None:
    amount = read_amount(text, period)
    assert isinstance(amount, Amount) and (amount.low, amount.high) == (low, high)


def test_an_income_that_stopped_is_nothing_now_or_asked_again() -> None:
    stopped_nothing = read_amount("跑车一个月四千 车卖了以后 现在一分都没得", "month")
    assert isinstance(stopped_nothing, Amount) and (stopped_nothing.low, stopped_nothing.high) == (0, 0)
    assert read_amount("在砖厂一个月两千五 上个月砖厂倒闭了", "month") is None  # ask: what now?
    later = read_amount("现在一个月三千 明年可能就不做了", "month")
    assert isinstance(later, Amount) and later.low == 3000
    varies = read_amount("儿子有时候打一千 有时候打两千", "month")
    assert isinstance(varies, Amount) and (varies.low, varies.high) == (1000, 2000)
    late = read_amount("有时候来得晚 一个月一千二", "month")  # 有时候 not in the amount's clause
    assert isinstance(late, Amount) and (late.low, late.high) == (1200, 1200)


def test_money_sent_home_and_a_total_with_its_shares() -> None:
    sent = read_amount("全靠儿子 他每个月转六百回来", "month")
    assert isinstance(sent, Amount) and (sent.low, sent.high) == (600, 600)
    shared = read_amount("存了六千 是我们三个人的 每人两千", "total")
    assert isinstance(shared, Amount) and (shared.low, shared.high) == (6000, 6000)


def test_a_run_whose_units_climb_is_two_numbers() -> None:
    assert [(n.low, n.high) for n in find_numbers("三百一千五")] == [(300, 300), (1500, 1500)]
    assert [(n.low, n.high) for n in find_numbers("一千三百五十")] == [(1350, 1350)]
    assert [(n.low, n.high) for n in find_numbers("两千三百万")] == [(23000000, 23000000)]


@pytest.mark.parametrize(
    ("text", "period", "low", "high"),
    [
        # the parts, then their sum said aloud: the sum, once
        ("我自己七百 加上儿子给的五百 一千二", "month", 1200, 1200),
        ("老倌打零工九百 我卖菜两百 一千一左右", "month", 990, 1210),
        ("我六百 老伴四百", "month", 1000, 1000),  # no sum said: added up
        # 低保 said to be left out before the amount: the amount is what remains without it
        ("低保那个钱算不算啊 不算的话一个月也就三百来块", "month", 270, 330),
        ("不算低保的话 一个月四百", "month", 400, 400),
        ("除了低保三百 还有零工两百", "month", 200, 200),  # the 三百 is the 低保 itself
        # paid and not yet paid back is spent, not a no
        ("医保还没报 自己先垫了四万", "total", 40000, 40000),
        ("没有报销 先拿了八千出来", "total", 8000, 8000),
        # a bound after the figure keeps to it; what is left after a cost; spending is not income
        ("六七百吧 不到八百", "month", 600, 700),
        ("卖菜一个月两千 扣掉进货八百 还有一千二", "month", 1200, 1200),
        ("一个月进五百 支出八百", "month", 500, 500),
        # the part paid back is taken off the year's costs
        ("住院花了三万 报了一万二", "total", 18000, 18000),
        # 万一 and 千万 are words only when no numeral comes before them; 两完 is typed for 两万
        ("两万 两万一千", "total", 21000, 21000),
        ("万一生病 存了一千", "total", 1000, 1000),
        ("看病花了三完", "total", 30000, 30000),
    ],
)
def test_sums_said_aloud_money_left_out_and_costs_not_yet_repaid(
    text: str, period: str, low: float, high: float
) -> None:
    amount = read_amount(text, period)
    assert isinstance(amount, Amount) and (amount.low, amount.high) == (low, high)


def test_a_thousand_said_twice_without_a_pause_is_two_numbers_and_each_persons_share_is_added() -> None:
    assert [int(n.low) for n in find_numbers("八百八百五")] == [800, 850]  # said again, more exactly
    ranged = find_numbers("三千四千")  # a range, not two numbers
    assert len(ranged) == 1 and (ranged[0].low, ranged[0].high) == (3000, 4000)
    amount = read_amount("一个两百一 一个两百二", "month", every_kind=True)
    assert isinstance(amount, Amount) and (amount.low, amount.high) == (430, 430) and "sum" in amount.notes


def test_a_month_summed_after_varying_days_is_the_months_amount() -> None:
    # days that vary, then the month's sum said: the sum, not the days' lowest to the month's highest
    varied = read_amount("在寨子口卖烤洋芋 生意好一天七八十 不好的时候三四十 一个月下来一千二左右", "month")
    assert isinstance(varied, Amount) and 1080 <= varied.low <= varied.high <= 1320
    # money 低保 leaves out stays apart from the varying amounts
    apart = read_amount("低保一个月两百 我帮人做活 有时候一个月五百 有时候八百", "month")
    assert isinstance(apart, Amount) and (apart.low, apart.high) == (500, 800)
    assert apart.excluded == ("dibao_payment",)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("儿子在浙江进厂 一个月四千 打回来一千五", 1500, 1500),  # what reaches home, not the wage
        ("他在工地一个月五千多 每个月寄回家三千", 3000, 3000),
        ("我自己一个月九百 姑娘寄回来六百", 1500, 1500),  # someone new sending: added
    ],
)
def test_money_sent_home_replaces_the_wage_it_comes_from(text: str, low: float, high: float) -> None:
    amount = read_amount(text, "month")
    assert isinstance(amount, Amount) and (amount.low, amount.high) == (low, high)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("一个月两干左右", 1800, 2200),  # 干 typed for 千 after a numeral
    ("一个月一干多块", 1000, 1999),
])
def test_干_typed_for_千_after_a_numeral(text: str, low: int, high: int) -> None:
    amount = read_amount(text)
    assert isinstance(amount, Amount)
    assert (amount.low, amount.high) == (Decimal(low), Decimal(high))


def test_干_as_a_word_after_a_numeral_stays() -> None:
    from bot.dialogs.answers.numbers import mend

    assert mend("钱用得一干二净") == "钱用得一干二净"
    assert mend("三干块") == "三千块"
