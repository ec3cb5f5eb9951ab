"""A persona's true household (the conversation sets' `truth` block) as questionnaire answers.

Why: "statuses right" compares the conversation's result with the rules applied to the household
the persona really has. Writing the truth as the answers a perfect listener would have stored,
and mapping them to the rules exactly as the questionnaire does (`screening_household.build`),
means the comparison measures understanding and question choice, not two different mappings.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

WORDS = {
    "spouse": "老伴",
    "child": "孩子",
    "parent": "父母",
    "parent_in_law": "公婆",
    "child_in_law": "儿媳",
    "grandchild": "孙子女",
    "grandparent": "祖父母",
    "sibling": "兄弟姐妹",
    "other": "亲戚",
}
SCHOOL_AGE = (3, 24)
AMOUNT_SLACK = (0.85, 1.15)  # a resident confirms a figure read back "about" right
YEARS_SLACK = 0.1


def truth_household(truth: dict[str, Any]) -> tuple[Counter[tuple[str, Any]], Counter[tuple[str, str]]]:
    members = Counter((m["relation"], m.get("age")) for m in truth["members"])
    gone = Counter((g["relation"], g["why"]) for g in truth["gone"])
    return members, gone


def _amount(value: float | None) -> dict[str, Any] | None:
    return None if value is None else {"low": value, "high": value, "excluded": [], "approx": False}


def truth_answers(truth: dict[str, Any]) -> dict[str, Any]:
    """The answers a perfect listener would have stored for this household."""
    people = [{"relation": "applicant", **truth["self"]}, *truth["members"]]
    answers: dict[str, Any] = {
        "place": {"hukou": truth["hukou"], "area": truth["area"]},
        "age": truth["self"]["age"],
        "household": {
            "members": [
                {"relation": m["relation"], "word": WORDS[m["relation"]], "age": m.get("age"), "away": False}
                for m in truth["members"]
            ],
            "gone": [
                {"relation": g["relation"], "word": WORDS[g["relation"]], "why": g["why"]}
                for g in truth["gone"]
            ],
        },
        "income": _amount(truth["monthly_income"]),
        "savings": _amount(truth["savings"]),
        "house": {"count": truth["houses"], "condition": None},
        "car": {"car": bool(truth["car"]), "business": False},
        "current": [c for c in truth["current"] if c != "none"],
        "emergency": [e for e in truth["emergency"] if e != "none"],
        "medical_spending": _amount(truth["medical_spending"]),
        "pension": truth["pension"],
    }
    if truth["hukou"] == "yunnan_other":
        answers["permit"] = truth["permit_years"]
    disabled = [i for i, p in enumerate(people) if p.get("disability")]
    ill = [i for i, p in enumerate(people) if p.get("serious_illness")]
    answers["health"] = {"disability": bool(disabled), "illness": bool(ill)}
    if len(people) > 1:
        answers["disabled_who"] = disabled
        answers["ill_who"] = ill
    for index, person in enumerate(people):
        card = person.get("disability")
        if card:
            answers[f"disability_type:{index}"] = card.get("type")
            answers[f"disability_grade:{index}"] = card.get("grade")
        age = person.get("age")
        if index and age is not None and SCHOOL_AGE[0] <= age <= SCHOOL_AGE[1]:
            answers[f"school:{index}"] = person.get("school") or "none"
    workers = [("self" if i == 0 else p["relation"]) for i, p in enumerate(people) if p.get("works")]
    answers["work"] = workers or False
    duty = [g for g in truth["gone"] if "can_support" in g]
    if duty:
        able = [g["can_support"] for g in duty]
        answers["supporters"] = {
            "exists": True,
            "can_support": True if True in able else False if all(a is False for a in able) else None,
        }
    else:
        answers["supporters"] = {"exists": False, "can_support": None}
    return answers


def truth_value(truth: dict[str, Any], target: str, person: int | None) -> tuple[bool, Any]:
    """Whether the truth settles `target` (an answer key, "school:2" for the bot's member 2), and
    the value a perfect listener would have stored; `person` is that member's index in the truth
    (0 the resident, 1 … `members` in order), None when the bot's member is nobody real."""
    topic, _, index = target.partition(":")
    key = topic if not index else f"{topic}:{person}"
    if index and person is None:
        return False, None
    answers = truth_answers(truth)
    return key in answers, answers.get(key)


def fits_truth(value: Any, true: Any) -> bool:
    """Whether a value read back is the truth as a resident hears it: an amount close to the true
    figure (the resident confirms "about"), a list in any order, the parts of a health or
    supporters answer the truth gives."""
    if isinstance(value, dict) and "low" in value:
        figure = true.get("low") if isinstance(true, dict) else true
        if not isinstance(figure, (int, float)):
            return False
        return bool(value["low"] * AMOUNT_SLACK[0] <= figure <= value["high"] * AMOUNT_SLACK[1])
    if isinstance(value, dict) and isinstance(true, dict):
        shared = [k for k in true if k in value and k not in ("condition", "business")]
        return bool(shared) and all(fits_truth(value[k], true[k]) for k in shared)
    if isinstance(value, list) or isinstance(true, list):
        return sorted(value or []) == sorted(true or [])
    if isinstance(true, bool) and value is None:
        return False
    if isinstance(value, (int, float)) and isinstance(true, (int, float)):
        return abs(value - true) <= YEARS_SLACK if isinstance(true, float) else value == true
    return bool(value == true)
