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
