"""How answers are read back in the summary (issue 12 item 20): no "1.17年", no "300.0元"."""

from __future__ import annotations

import pytest

from bot.dialogs.screening import _held
from bot.dialogs.screening_questions import questionnaire


@pytest.mark.parametrize(("years", "said"), [
    (1.17, "1年2个月"), (0.67, "8个月"), (2.0, "2年"), (1.5, "1年6个月"), (0.0, "没有"),
])
def test_years_held_read_as_years_and_months(years: float, said: str) -> None:
    assert _held(years, questionnaire().display) == said
