"""Which questions apply: the questionnaire asks the rules (`open_inputs`) instead of copying them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from bot.dialogs import screening_needs
from bot.dialogs.screening_needs import next_step
from bot.rules import inputs
from bot.rules.parameters import DEFAULT_PATH, load_parameters, parse_parameters

DAY = date(2025, 8, 1)
NOTHING = {"low": 0.0, "high": 0.0, "excluded": [], "approx": False}


def answers(age: int, **more: Any) -> dict[str, Any]:
    """元江 rural, alone, healthy, no work, no income, no savings or property."""
    return {
        "place": {"hukou": "yuanjiang", "area": "rural"},
        "age": age,
        "household": {"members": [], "gone": []},
        "health": {"disability": False, "illness": False},
        "work": False,
        "income": NOTHING,
        "property": {
            "savings": NOTHING,
            "house": {"count": 1, "condition": None},
            "car": {"car": False, "business": False},
        },
        **more,
    }


def asked(given: dict[str, Any]) -> list[str]:
    found, answers_ = [], dict(given)
    for _ in range(20):
        step = next_step(answers_, DAY)
        if step is None:
            return found
        found.append(step)
        answers_[step] = None  # 跳过
    return found


def test_the_supporter_question_follows_the_rules() -> None:
    assert "supporters" in asked(answers(70))
    assert "supporters" not in asked(answers(45))


def test_a_rule_change_cannot_silently_skip_a_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the 特困 age became 40, a 45-year-old would be asked about supporters, with no code change."""
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    document["parameters"]["tekun.elderly_age"]["provincial"][-1]["value"] = 40
    changed = parse_parameters(document)
    for module in (inputs, screening_needs):
        monkeypatch.setattr(module, "load_parameters", lambda *_: changed)
    assert "supporters" in asked(answers(45))
    assert load_parameters().lookup("tekun.elderly_age", DAY).value == 60  # the real file is untouched


def test_a_daughter_in_law_is_no_supporter_so_her_father_in_law_is_asked_about_his() -> None:
    household = {
        "members": [{"relation": "parent_in_law", "word": "公公", "age": 74, "away": False}],
        "gone": [],
    }
    steps = asked(answers(42, household=household, work=["self"]))
    assert "supporters" in steps
