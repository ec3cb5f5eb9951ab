"""Which questions apply: the questionnaire asks the rules (`open_inputs`) instead of copying them."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from bot.dialogs import screening_household
from bot.dialogs.screening_household import walk
from bot.rules import inputs
from bot.rules.parameters import DEFAULT_PATH, load_parameters, parse_parameters

DAY = date(2025, 8, 1)


def answers(age: int) -> dict:
    """元江 rural, alone, healthy, no work, no income, no savings or property."""
    return {"place": 1, "age": age, "member:1": "done", "health": [], "work": [], "income": 0,
            "assets": 0, "property": []}


def test_the_supporter_question_follows_the_rules() -> None:
    assert "supporter" in walk(answers(70), DAY).steps
    assert "supporter" not in walk(answers(57), DAY).steps


def test_a_rule_change_cannot_silently_skip_a_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the 特困 age became 55, a 57-year-old would be asked about supporters, with no code change."""
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    document["parameters"]["tekun.elderly_age"]["provincial"][-1]["value"] = 55
    changed = parse_parameters(document)
    for module in (inputs, screening_household):
        monkeypatch.setattr(module, "load_parameters", lambda *_: changed)
    assert "supporter" in walk(answers(57), DAY).steps
    assert load_parameters().lookup("tekun.elderly_age", DAY).value == 60  # the real file is untouched


def test_already_receiving_is_asked_where_it_can_change_a_result() -> None:
    below = walk(answers(45), DAY)
    assert "current" not in below.steps
    above = walk({**answers(45), "income": 3000, "situations": []}, DAY)
    assert "current" in above.steps


def test_a_daughter_in_law_is_no_supporter_so_her_father_in_law_is_asked_about_his() -> None:
    """The old copy of the 特困 rules took any able adult at home as a supporter and skipped this."""
    steps = walk({**answers(42), "member:1": {"relation": "parent_in_law", "word": "公公", "age": 74},
                  "member:2": "done", "work": [0], "income": 1500}, DAY).steps
    assert "supporter" in steps
    son = walk({**answers(42), "member:1": {"relation": "parent", "word": "父亲", "age": 74},
                "member:2": "done", "work": [0], "income": 1500}, DAY).steps
    assert "supporter" not in son
