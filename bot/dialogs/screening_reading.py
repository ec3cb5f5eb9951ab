"""What the questionnaire takes from one free answer, and whether that is the value a set expects.

Why apart from the scoring: `screening_eval` counts a set's items as understood, misread or asked
again; this is the one reading of an item it counts (the kind its topic's question uses, with the
household size and the correction said in the same answer) and the comparison with the expected
value (amounts: the point heard lies in the interval a careful listener accepts).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from bot.dialogs.answers import is_unknown
from bot.dialogs.answers import vocabulary as words
from bot.dialogs.answers.kinds import Ask, kind
from bot.dialogs.screening_questions import questionnaire
from bot.text import fold
from bot.townships import township

TODAY = date(2026, 12, 1)  # the sets' reference day
# Topics answered in the application flow, read by the kinds the application uses.
APPLICATION = {
    "name": "name",
    "phone": "phone",
    "id_number": "id_number",
    "township": "township",
    "village": "village",
    "consent": "consent",
}
YEARS_TOLERANCE = 0.05


def topic_kind(topic: str) -> str:
    if topic in APPLICATION:
        return APPLICATION[topic]
    return questionnaire().topic_kind(topic).name


def read(topic: str, text: str, age_given: int | None = None, correction: bool = False) -> Any:
    """What the bot takes from `text` as the answer to `topic`: a value in the topics' form,
    "unknown", or None (not understood: the bot would ask again)."""
    return reading(topic, text, age_given, correction)[0]


def reading(
    topic: str, text: str, age_given: int | None = None, correction: bool = False
) -> tuple[Any, bool]:
    """`read`, and whether the bot reads the value back before keeping it (a reader's guess:
    the resident sees it and says 对 or corrects it, so a wrong guess is a re-ask, not a misread)."""
    if correction:
        text = words.correction(text) or text
    if is_unknown(text):
        return "unknown", False
    parsed = kind(topic_kind(topic)).parse(text, Ask(TODAY, size=_size_in(text) or 1, age=age_given))
    if parsed is None:
        return None, False
    if parsed.unknown:
        return "unknown", False
    if topic == "phone" and parsed.problem == "invalid":
        return "invalid", False
    if topic == "id_number":
        if parsed.problem is not None:
            return "invalid", False
        return ("mismatch" if parsed.readback == "mismatch" else parsed.value["id_number"]), False
    if parsed.problem is not None or parsed.value is None:
        return None, False
    # "有病 肺上的病": someone is ill, and whether it is serious is the next question (`ill_unclear`),
    # so the answer is checked with the resident before it counts, as a guess read back is
    asked_next = topic == "health" and bool(parsed.value.get("ill_unclear"))
    return as_topic_value(topic, parsed.value), parsed.unsure or asked_next


def _size_in(text: str) -> int | None:
    """A household size said in the same answer ("我们三个人 每人三百")."""
    from bot.dialogs.answers.numbers import find_numbers

    folded = fold(text)
    for number in find_numbers(folded):
        if (
            folded[number.end : number.end + 2].startswith(("个人", "口人", "口"))
            and number.low == number.high
        ):
            return int(number.low)
    return None


def as_topic_value(topic: str, value: Any) -> Any:
    """The bot's stored answer in SCREENING-TOPICS form."""
    if isinstance(value, dict) and "low" in value:
        return [value["low"], value["high"]]
    if topic == "household":
        return {
            "members": [
                {"relation": _topic_relation(m["relation"]), "age": m.get("age")} for m in value["members"]
            ],
            "gone": [
                {"relation": _topic_relation(g["relation"]), "why": g["why"]} for g in value.get("gone", [])
            ],
        }
    if topic == "health":
        return {"disability": value.get("disability"), "illness": value.get("illness")}
    if topic in ("current", "emergency"):
        return value or ["none"]
    if topic == "house":
        return value["count"]
    if topic == "car":
        return value["car"]
    if topic == "township":
        found = township(value)
        return found["name"] if found else value
    if topic == "work" and isinstance(value, list):
        return value or False  # a list with "self": see `_same_earners`
    return value


def _topic_relation(relation: str) -> str:
    """The sets name only the relations SCREENING-TOPICS lists; the rules know in-laws of siblings,
    nephews and uncles too, which the sets write as `other`."""
    return "other" if relation in ("sibling_in_law", "nephew_niece", "uncle_aunt") else relation


def same(topic: str, got: Any, expected: Any) -> bool:
    if got == expected:
        return True
    if got is None or expected is None or got == "unknown" or expected == "unknown":
        return False
    if topic in ("income", "savings", "medical_spending"):
        return _in(got, expected)
    if topic == "pension":
        if got.get("kind") != expected.get("kind"):
            return False
        if expected.get("monthly") is None or got.get("monthly") is None:
            return expected.get("monthly") == got.get("monthly")
        return _in(got["monthly"], expected["monthly"])
    if topic == "permit":
        return abs(float(got) - float(expected)) <= YEARS_TOLERANCE
    if topic == "household":
        return _people(got["members"]) == _people(expected["members"]) and Counter(
            (g["relation"], g["why"]) for g in got["gone"]
        ) == Counter((g["relation"], g["why"]) for g in expected["gone"])
    if topic == "work" and isinstance(got, list):
        return _same_earners(got, expected)
    if topic in ("current", "emergency") and isinstance(got, list) and isinstance(expected, list):
        return sorted(got) == sorted(expected)
    if topic == "village":  # 安定村 for 安定村委会, 路通村委會 in traditional: the same village
        return fold(str(got)).replace("村委会", "村") == fold(str(expected)).replace("村委会", "村")
    return False


def _same_earners(got: list[str], expected: Any) -> bool:
    """The sets write "the resident and their wife work" three ways: `true` (someone, the resident
    among them), `[spouse]` (the others; the resident not listed), or — the fourth set — `[self,
    spouse]` (the resident listed as `self`, as the bot stores it). All are the same fact; a list
    naming `self` is compared whole."""
    if isinstance(expected, list) and "self" in expected:
        return sorted(got) == sorted(expected)
    if "self" not in got:
        return isinstance(expected, list) and sorted(got) == sorted(expected)
    others = sorted(r for r in got if r != "self")
    return expected is True or (isinstance(expected, list) and bool(others) and sorted(expected) == others)


def _in(got: list[float], expected: list[float]) -> bool:
    point = (got[0] + got[1]) / 2
    return expected[0] - 1 <= point <= expected[1] + 1


def _people(members: list[dict[str, Any]]) -> Counter[tuple[str, Any]]:
    return Counter((m["relation"], m.get("age")) for m in members)
