"""Things said of the future or of somewhere else, which are not the answer: money promised, an age
still to come, a town named only as how far away the home is; and one age said of several people
counted together. Each with a reply that must read as before."""

from bot.dialogs.screening_reading import read


def test_money_promised_is_not_money_that_comes_in() -> None:
    assert read("income", "儿子讲到时候寄一千回来 眼下没得收入") == [0, 0]
    assert read("income", "他答应每个月打三百 一分还没见到") is None  # asked again, not 300
    assert read("income", "儿子每个月打三百回来") == [300.0, 300.0]  # unchanged
    assert read("medical_spending", "花了九千 报了以后自己出四千") == [4000.0, 4000.0]  # 以后: not a promise


def test_an_age_still_to_come_is_not_the_age_now() -> None:
    assert read("age", "五十九 明年就满六十了") == 59
    assert read("age", "六十，不对，过了年六十一了") == 61  # unchanged: the age now, corrected


def test_a_town_named_as_how_far_away_the_home_is_says_the_country() -> None:
    assert read("place", "户口在元江 家离县城二十多公里") == {"hukou": "yuanjiang", "area": "rural"}
    assert read("place", "户口在元江 住在县城") == {"hukou": "yuanjiang", "area": "urban"}  # unchanged


def test_one_age_said_of_several_counted_together_is_each_ones() -> None:
    twins = {"members": [{"relation": "grandchild", "age": 9}, {"relation": "grandchild", "age": 9}],
             "gone": []}
    assert read("household", "带着两个孙女 双胞胎 都是九岁") == twins
    two = read("household", "两个孙女 一个九岁")  # unchanged: the other's age is not said
    assert [m["age"] for m in two["members"]] == [9, None]
