"""Where the hukou of a resident who came from elsewhere is: it stayed behind or it moved; houses
counted; pensions read, and when they are a guess."""

import pytest

from bot.dialogs.answers import places


@pytest.mark.parametrize(("text", "expected"), [
    # married in from another county, the hukou never moved: it is still there, whatever 元江
    # township is named for where they live
    ("我是峨山那边嫁来的 户口一直莫转 住在因远的村子里", {"hukou": "yunnan_other", "area": "rural"}),
    ("从贵州嫁到这里十几年了，户口还没有迁", {"hukou": "outside_yunnan", "area": None}),
    # it moved: to 元江 (or a township of it), unless another place is said after it
    ("以前是玉溪的户口，结婚以后户口迁过来了，住在街上", {"hukou": "yuanjiang", "area": "urban"}),
    ("原来户口在四川 后来户口转到洼垤了 在寨子头", {"hukou": "yuanjiang", "area": "rural"}),
    ("我户口迁到玉溪去了 人还住在村里", {"hukou": "yunnan_other", "area": "rural"}),
])
def test_a_hukou_kept_or_moved_by_someone_who_came_from_elsewhere(text: str, expected: dict) -> None:
    assert places.read_place(text) == expected


def test_a_hukou_book_is_not_a_move() -> None:
    assert places.read_place("户口本上是元江的 住在村里") == {"hukou": "yuanjiang", "area": "rural"}


@pytest.mark.parametrize(("text", "expected"), [
    # the hukou "in the 老家" is where they say they come from; where it is says nothing of where they live
    ("四川达州的 户口都在老家 在元江街上摆摊 住在摊子后头", {"hukou": "outside_yunnan", "area": "urban"}),
    ("我是墨江人 户口在老家 来这边种地 住在寨子里", {"hukou": "yunnan_other", "area": "rural"}),
    ("户口在村子里 人跟着儿子在县城住", {"hukou": "yuanjiang", "area": "urban"}),
    # a 老家 in 元江 itself stays 元江, as before
    ("户口在元江的老家 住在村里", {"hukou": "yuanjiang", "area": "rural"}),
])
def test_a_hukou_in_the_hometown_and_a_home_elsewhere(text: str, expected: dict) -> None:
    assert places.read_place(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("哪里有车嘛 赶街都是走路", False),
    ("哪有哪样车 一辆摩托都莫得", False),
    ("哪个有车哦 穷得很", False),
    ("有车 儿子开的面包车", True),  # a car said plainly, as before
    ("我们家有车 小轿车", True),
])
def test_a_car_asked_about_rhetorically_is_no_car(text: str, expected: bool) -> None:
    assert places.read_car(text) is expected


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
    value = places.read_pension("老伴矿上退休的 一个月两千五 我还没满六十 没领")
    assert value == {"kind": "employee", "monthly": [2500.0, 2500.0]}  # 六十 is my age, not yuan


def test_a_pension_summed_from_several_figures_is_a_guess() -> None:
    assert places.pension_summed("他退休工资一个月三千 我的居民养老金一百二")
    assert not places.pension_summed("退休工资一个月三千出头")  # one figure: sure
