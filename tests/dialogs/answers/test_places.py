"""Where the hukou of a resident who came from elsewhere is: it stayed behind or it moved."""

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
