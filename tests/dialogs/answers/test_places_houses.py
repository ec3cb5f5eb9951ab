"""Houses counted (`places.py`) and pensions read (`pensions.py`): a house destroyed or someone
else's, an age not reached beside a pension, and a pension summed from several figures."""

import pytest

from bot.dialogs.answers import pensions, places


@pytest.mark.parametrize("text", [
    "泥石流把房子冲走了 一家人住过渡房",  # destroyed, now in a shelter
    "屋子去年垮掉了 暂时住帐篷",
    "住的是我姑娘的房子 我自己没得",  # someone else's house
])
def test_a_house_destroyed_or_someone_elses_is_none(text: str) -> None:
    assert places.read_count(text) == 0


def test_a_damaged_house_or_one_rebuilt_is_still_one() -> None:
    assert places.read_count("一栋土房 后墙塌了一块") == 1  # damaged, still there
    assert places.read_count("房子震倒了 住了半年板房 现在盖好了一栋") == 1  # rebuilt


def test_an_age_not_reached_is_not_money_in_a_pension() -> None:
    value = pensions.read_pension("老伴矿上退休的 一个月两千五 我还没满六十 没领")
    assert value == {"kind": "employee", "monthly": [2500.0, 2500.0]}  # 六十 is my age, not yuan


def test_a_pension_summed_from_several_figures_is_a_guess() -> None:
    assert pensions.pension_summed("他退休工资一个月三千 我的居民养老金一百二")
    assert not pensions.pension_summed("退休工资一个月三千出头")  # one figure: sure
