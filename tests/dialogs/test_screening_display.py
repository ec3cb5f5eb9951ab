"""How answers are read back in the summary (issue 12 item 20): no "1.17年", no "300.0元"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogs.answers.kinds import KINDS, Ask

ASK = Ask(date(2025, 8, 1))


@pytest.mark.parametrize(
    ("years", "said"),
    [
        (1.17, "1年2个月"),
        (0.67, "8个月"),
        (2.0, "2年"),
        (1.5, "1年6个月"),
        (0.0, "没有办"),
    ],
)
def test_years_held_read_as_years_and_months(years: float, said: str) -> None:
    assert KINDS["years"].describe(years, ASK) == said


def test_amounts_without_decimals() -> None:
    assert KINDS["amount_monthly"].describe({"low": 300.0, "high": 300.0}, ASK) == "每月300元"
