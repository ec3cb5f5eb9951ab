"""Answers typed or said otherwise than the readers first expected: a letter typed for a digit, a
numeral by sound, a permit given as the year it was issued, a grade said as it was and then as it
is now, a house destroyed and gone, an illness named only to say it is not known, help named only
to deny it, a committee with a hamlet under it, children with no money to give. Each with a reply
that must read as before."""

from datetime import date

import pytest

from bot.dialogs.answers import durations
from bot.dialogs.answers.numbers import mend
from bot.dialogs.screening_reading import read


@pytest.mark.parametrize(("topic", "text", "value"), [
    ("phone", "l3812345678", "13812345678"),  # an l typed for the leading 1
    ("pension", "城乡养老金 一个月l20块", {"kind": "residents_basic", "monthly": [120.0, 120.0]}),
    ("phone", "13812345678", "13812345678"),  # unchanged
])
def test_a_letter_typed_for_a_digit_is_the_digit(topic: str, text: str, value: object) -> None:
    assert read(topic, text) == value


def test_a_hundred_heard_as_bo_after_a_range_is_a_hundred() -> None:
    assert read("income", "每个月五六伯块") == [500.0, 600.0]
    assert read("income", "三百") == [300.0, 300.0]  # unchanged
    assert mend("跟我三伯住") == "跟我三伯住" and mend("两千五伯") == "两千五百"  # 三伯 is an uncle


def test_a_permit_given_as_the_year_it_was_issued_is_the_years_since() -> None:
    today = date(2026, 6, 1)
    assert durations.read_years("2021年办下来的", today) == 5.0
    assert durations.read_years("二〇二四年才办的居住证", today) == 2.0
    assert durations.loose_years("2021年办下来的")  # the month is not said: read back
    assert durations.read_years("办了四年了", today) == 4.0 and not durations.loose_years("办了四年了")


def test_a_grade_said_as_it_was_and_as_it_is_now_is_the_grade_now() -> None:
    assert read("disability_grade", "以前评的是四级 后来重新评了 评成三级") == 3
    assert read("disability_grade", "原来就是一级") == 1  # unchanged: said once


def test_a_house_destroyed_and_said_to_be_gone_is_no_house() -> None:
    assert read("house", "土房子前年山体滑坡冲倒了 现在莫得了") == 0
    assert read("house", "瓦房一栋 厨房那边塌了点") == 1  # damaged, still there


def test_an_illness_named_only_to_say_it_is_not_known_is_not_read_as_had() -> None:
    assert read("health", "残疾证是有的 大病么不晓得")["illness"] is None
    assert read("health", "残疾证是有的 大病没有")["illness"] is False  # unchanged
    assert read("health", "老伴得了大病 是癌症")["illness"] is True  # unchanged


def test_help_named_and_then_denied_at_the_end_of_its_clause_is_not_received() -> None:
    assert read("current", "有残疾补贴 一百多块 低保那个我们没有") == ["disability_allowance"]
    assert read("current", "低保我们是有的") == ["dibao"]  # unchanged


def test_a_hamlet_under_a_village_committee_is_the_committee() -> None:
    assert read("village", "路通村委会下面的一个小组") == "路通村委会"
    assert read("village", "路通村委会") == "路通村委会"  # unchanged


def test_a_child_with_no_money_to_give_cannot_support() -> None:
    assert read("supporters", "姑娘在昆明 她也难 没得钱给我们") == {"exists": True, "can_support": False}
    assert read("supporters", "姑娘在昆明 每个月给我三百") == {"exists": True, "can_support": True}


def test_someone_bedridden_without_a_card_is_seriously_ill() -> None:
    assert read("health", "我爹瘫在床上三年了 证没有去办") == {"disability": False, "illness": True}
    assert read("health", "孙子是脑瘫 残疾证办了") == {"disability": True, "illness": None}  # unchanged: 脑瘫
