import pytest

from bot.dialogs.choices import chinese_number, ordinal, pick

OPTIONS = ["政策问答", "救助自测", "联系我们"]


@pytest.mark.parametrize("text,expected", [
    ("2", 1), ("２", 1), ("二", 1), ("第二个", 1), ("第2个", 1), ("2号", 1), ("②", 1), ("选二", 1),
    ("我选第二个", 1), ("2。", 1), (" 3 ", 2), ("救助自测", 1), ("自测", 1), ("联系", 2),
])
def test_pick_understands_many_ways_of_answering(text: str, expected: int) -> None:
    assert pick(text, OPTIONS) == expected


@pytest.mark.parametrize("text", ["4", "0", "第五个", "天气", ""])
def test_pick_refuses_what_is_not_an_option(text: str) -> None:
    assert pick(text, OPTIONS) is None


@pytest.mark.parametrize("text,value", [("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("两", 2)])
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


def test_zero_is_an_ordinal() -> None:
    assert ordinal("0") == 0
    assert ordinal("一百二十三") is None
