"""The simulated resident answers a read-back from its persona's truth, whatever the topic: 对 when
the value read back is the truth, 不对 and its answer said again when it is not."""

from __future__ import annotations

from typing import Any

from bot.dialogs.screening_simulator import Resident, _readback
from bot.dialogs.screening_truth import fits_truth

TRUTH: dict[str, Any] = {
    "hukou": "yuanjiang",
    "area": "rural",
    "permit_years": None,
    "self": {"age": 70, "disability": None, "serious_illness": False, "works": False},
    "members": [
        {"id": "m1", "relation": "grandchild", "age": 9, "disability": None, "serious_illness": False,
         "school": "primary", "works": False},
    ],
    "gone": [{"relation": "child", "why": "left", "can_support": False}],
    "monthly_income": 300,
    "pension": {"kind": "residents_basic", "monthly": 180},
    "savings": 0,
    "houses": 1,
    "car": False,
    "current": [],
    "emergency": [],
    "medical_spending": 1000,
}
PERSONA = {"id": "test", "truth": TRUTH,
           "answers": {"supporters": "儿子跑了 管不了", "school:m1": "读小学", "income": "三百"}}
HOUSEHOLD = {"members": [{"relation": "grandchild", "word": "孙子", "age": 9, "away": False}], "gone": []}


def test_a_read_back_that_is_the_truth_is_confirmed() -> None:
    resident = Resident(PERSONA)
    answers = {"household": HOUSEHOLD, "supporters": {"exists": True, "can_support": False}}
    assert _readback(resident, "supporters", answers) == "对"
    answers["school:1"] = "primary"
    assert _readback(resident, "school:1", answers) == "对"


def test_a_read_back_that_is_not_the_truth_is_corrected_with_the_answer_for_that_step() -> None:
    resident = Resident(PERSONA)
    answers = {"household": HOUSEHOLD, "supporters": {"exists": True, "can_support": True},
               "school:1": "middle"}
    assert _readback(resident, "supporters", answers) == "不对 儿子跑了 管不了"
    assert _readback(resident, "school:1", answers) == "不对 读小学"


def test_what_fits_the_truth() -> None:
    assert fits_truth({"low": 280.0, "high": 320.0}, {"low": 300, "high": 300})
    assert not fits_truth({"low": 3000.0, "high": 3000.0}, {"low": 300, "high": 300})
    assert fits_truth({"kind": "residents_basic", "monthly": {"low": 180.0, "high": 180.0}},
                      {"kind": "residents_basic", "monthly": 180})
    assert not fits_truth({"kind": "employee", "monthly": None}, {"kind": "residents_basic", "monthly": 180})
    assert fits_truth(["medical_bill", "illness"], ["illness", "medical_bill"]) and fits_truth([], False)
    assert not fits_truth(None, True) and fits_truth(1.5, 1.5) and not fits_truth(2.0, 1.5)
