"""How long a 居住证 is held: exact, loose, and not the time still wanted."""

import pytest

from bot.dialogs.answers import durations


@pytest.mark.parametrize(("text", "years"), [
    ("有 办了一年半了", 1.5), ("一年零三个月", 1.25), ("八个月", 0.67), ("没有", 0.0), ("两年多", 2.0),
    ("没去办 不晓得还要办这个", 0.0), ("不清楚", "unknown"),  # not knowing it was needed is a no
])
def test_years(text: str, years: float) -> None:
    assert durations.read_years(text) == years


def test_durations_said_roughly() -> None:
    months, decades = durations.read_years("刚办了几个月"), durations.read_years("二十来年了")
    assert isinstance(months, float) and 0 < months < 1  # a few months: under a year
    assert isinstance(decades, float) and 15 <= decades <= 25


def test_an_expired_permit_is_none_held_now() -> None:
    from bot.dialogs.answers.durations import read_years

    assert read_years("有过 办了两年 上个月过期了") == 0.0
    assert read_years("办了两年 还没过期") == 2.0


def test_a_bound_not_yet_reached_is_not_the_time_held() -> None:
    assert durations.read_years("才办 还不满一年 十个月") == 0.83
    # the whole years, read back
    assert durations.read_years("办了四年多") == 4.0 and durations.loose_years("办了四年多")
