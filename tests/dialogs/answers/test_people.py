"""Phones and ID numbers as people say and type them."""

from datetime import date

from bot.application.identity import IdNumber
from bot.dialogs.answers.people import read_id, read_phone


def test_a_group_of_a_phone_number_said_twice_is_said_once() -> None:
    assert read_phone("一三九 零八七一 二二四五 二二四五") == "13908712245"
    assert read_phone("1390 8712 2455 5") == "invalid"  # digits beyond a repeat stay wrong


def test_an_id_typed_with_the_letter_l_and_an_id_left_with_someone() -> None:
    checked = read_id("53042819900101l231", date(2026, 12, 1))
    assert not isinstance(checked, str) and isinstance(checked.id_number, IdNumber)
    assert checked.id_number.value == "530428199001011231"
    assert read_id("不记得 身份证放在我姑娘那里", date(2026, 12, 1)) == "unknown"
