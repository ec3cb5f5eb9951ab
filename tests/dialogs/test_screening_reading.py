"""One free answer read as the questionnaire reads it, and compared with what a set expects."""

from __future__ import annotations

from bot.dialogs.screening_reading import read, reading, same


def test_amounts_and_years_compare_within_what_a_listener_accepts() -> None:
    assert same("income", [300.0, 400.0], [300, 400]) and not same("income", [3000.0, 4000.0], [300, 400])
    assert same("permit", 1.5, 1.5) and not same("permit", 2.0, 1.5)


def test_unknown_and_not_understood_are_apart() -> None:
    assert read("age", "快七十了") == "unknown" and read("age", "七十三") == 73
    assert read("income", "随便说说") is None


def test_who_works_is_compared_however_the_set_writes_it() -> None:
    # the resident and their wife work: written `true` or `[spouse]` (the resident is never listed)
    assert same("work", ["self", "spouse"], True) and same("work", ["self", "spouse"], ["spouse"])
    assert same("work", ["self"], True) and not same("work", ["self"], ["spouse"])
    assert not same("work", ["spouse"], True) and not same("work", ["self", "child"], ["spouse"])
    # the fourth set names the resident `self`: such a list is compared whole
    assert same("work", ["self", "spouse"], ["self", "spouse"])
    assert not same("work", ["spouse"], ["self", "spouse"])


def test_an_illness_of_unknown_weight_is_read_back_before_it_counts() -> None:
    value, read_back = reading("health", "有病 肺上的病 残疾证不得")
    assert value is not None and read_back
    assert reading("age", "七十三") == (73, False)
