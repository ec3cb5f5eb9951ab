"""ID number and mobile checks: what residents type, what must be refused, and the masks."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.application.identity import (
    IdNumber,
    IdProblem,
    mask_id,
    mask_mobile,
    parse_id_number,
    parse_mobile,
)
from tests.application.support import id_with_check

TODAY = date(2025, 8, 1)


def test_valid_number_gives_birth_date_and_sex() -> None:
    parsed = parse_id_number(id_with_check("53042819550315002"), TODAY)
    assert isinstance(parsed, IdNumber)
    assert parsed.birth_date == date(1955, 3, 15)
    assert parsed.sex == "female"  # 17th digit 2 is even


def test_lower_case_x_spaces_and_full_width_digits_are_accepted() -> None:
    body = next(b for n in range(1000) if id_with_check(b := f"53042819900101{n:03d}")[-1] == "X")
    typed = f"{body[:6]} {body[6:14]} {body[14:]}x"
    parsed = parse_id_number(typed.replace("5", "５"), TODAY)
    assert isinstance(parsed, IdNumber) and parsed.value == body + "X"


def test_each_problem_is_named() -> None:
    good = id_with_check("53042819550315002")
    assert parse_id_number(good[:-1], TODAY) is IdProblem.LENGTH
    assert parse_id_number(good[:10] + "A" + good[11:], TODAY) is IdProblem.CHARACTERS
    assert parse_id_number("99" + good[2:], TODAY) is IdProblem.REGION
    assert parse_id_number(id_with_check("53042819550230002"), TODAY) is IdProblem.BIRTH_DATE  # 30 Feb
    assert parse_id_number(id_with_check("53042820300101002"), TODAY) is IdProblem.BIRTH_DATE  # future
    wrong = "0" if good[-1] != "0" else "1"
    assert parse_id_number(good[:-1] + wrong, TODAY) is IdProblem.CHECK_DIGIT


@given(st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_typo_is_caught(position: int, delta: int) -> None:
    good = id_with_check("53042819800229123")  # 29 Feb 1980 exists
    typo = good[:position] + str((int(good[position]) + delta) % 10) + good[position + 1:]
    assert not isinstance(parse_id_number(typo, TODAY), IdNumber)


def test_mobile_numbers() -> None:
    assert parse_mobile("139 8877 6655") == "13988776655"
    assert parse_mobile("+86-139-8877-6655") == "13988776655"
    assert parse_mobile("１３９８８７７６６５５") == "13988776655"
    for bad in ("12988776655", "1398877665", "0877-1234567", "139887766550"):
        assert parse_mobile(bad) is None


def test_masks_keep_only_the_ends() -> None:
    assert mask_id("53042819550315002X") == "5304**********002X"
    assert mask_mobile("13988776655") == "139****6655"
