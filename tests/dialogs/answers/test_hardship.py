"""Hardships and this year's medical costs read from one reply (bot/dialogs/answers/hardship.py)."""

import pytest

from bot.dialogs.answers.hardship import read_hardship


@pytest.mark.parametrize(
    ("text", "events", "spent"),
    [
        ("都没有 看病一年自己出两千左右", [], (1800, 2200)),
        ("没遇到什么事 八百", [], (800, 800)),  # a bare figure after the hardships: the costs
        ("房子遭洪水冲垮了 看病么没花什么", ["disaster"], (0, 0)),
        ("老伴脑溢血住院 报了以后自己出了三万", ["illness", "medical_bill"], (30000, 30000)),
        ("家里着火了", ["fire"], None),  # the costs are still to be asked
    ],
)
def test_one_reply_answers_both(text: str, events: list[str], spent: tuple[int, int] | None) -> None:
    found = read_hardship(text)
    assert found is not None and found["emergency"] == events
    if spent is None:
        assert "medical_spending" not in found
    else:
        got = found["medical_spending"]
        assert (got["low"], got["high"]) == spent


def test_costs_alone_leave_the_hardships_open() -> None:
    found = read_hardship("看病拿药一年一千来块")
    assert found is not None and "emergency" not in found and found["medical_spending"]["high"] > 0


def test_a_part_not_known_is_answered_as_unknown() -> None:
    assert read_hardship("不清楚 看病一年三千") == {
        "emergency": None,
        "medical_spending": {"low": 3000.0, "high": 3000.0, "excluded": [], "approx": False},
    }
