"""The registry of answer kinds: each kind parses a reply, describes a stored answer, and says
whether a bare number is an answer to it — in one place, as Rasa's slot types do.

Why: the questionnaire, the application and the evaluation all need the same three things of an
answer; keeping them per kind means a new question picks a kind from `KINDS` instead of growing
its own parser. Values are plain JSON (they are sealed into Redis with the session).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.dialogs.answers import durations, facts, pensions, people, places
from bot.dialogs.answers.kinds_base import Ask, Kind, Parsed, display, figure, guessed, unsure, yn
from bot.dialogs.answers.kinds_people import read_consent, read_id, read_phone
from bot.dialogs.answers.kinds_show import (
    as_text,
    describe_amount,
    describe_car,
    describe_earnings,
    describe_hardship,
    describe_health,
    describe_house,
    describe_members,
    describe_pension,
    describe_property,
    describe_supporters,
    describe_work,
    listing,
    masked_id,
    option_label,
    parents_show,
    place_show,
    several_show,
    table,
    township_name,
    years_show,
)
from bot.dialogs.answers.members import read_household
from bot.dialogs.answers.money import Problem, read_amount
from bot.dialogs.answers.vocabulary import yes_no
from bot.dialogs.choices import pick
from bot.text import fold

__all__ = ["KINDS", "Ask", "Kind", "Parsed", "describe_members", "display", "figure", "kind"]


def _plain(reader: Callable[[str], Any]) -> Callable[[str, Ask], Parsed | None]:
    def read(text: str, ask: Ask) -> Parsed | None:
        value = reader(text)
        if value == places.UNKNOWN:
            return Parsed(None, unknown=True)
        return None if value is None else Parsed(value)

    return read


# -- money --------------------------------------------------------------------------------------

WIDE = 2  # a range whose top is more than twice its bottom says no figure: "几百", "两百到九百"


def _money(period: str) -> Callable[[str, Ask], Parsed | None]:
    def read(text: str, ask: Ask) -> Parsed | None:
        amount = read_amount(text, period, ask.size)
        if amount is None:
            return None
        if isinstance(amount, Problem):
            return Parsed(None, problem=amount.value)
        guess = next((unsure(n) for n in amount.notes if n in ("sum", "disagree", "contrary")), None)
        if guess is None and amount.high > WIDE * amount.low and amount.high > 0:
            guess = unsure("range")  # "几百", "有时候几百 有时候一分都莫得": which figure is a guess
        if guess is None and "several" in amount.notes:
            guess = unsure("several")
        if guess is None and period == "month" and amount.excluded and amount.high == 0:
            guess = unsure("left_out")  # "就靠低保 一个月五百": only money not counted; is that all?
        converted = next((n for n in amount.notes if n in ("yearly", "daily", "per_person")), None)
        return Parsed(amount.stored(), readback=guess or converted)

    return read


# -- members ------------------------------------------------------------------------------------


# "搞不清楚 你问我姑娘嘛": the resident cannot say and sends you to someone else; who is named is
# whom to ask, not the household.
_ASK_SOMEONE = re.compile(r"(?:你|去|要)问(?:问|一下|下)?(?:我|他|她)")


def _read_members(text: str, ask: Ask) -> Parsed | None:
    from bot.dialogs.answers.kinds_base import dont_know

    if dont_know(text) and _ASK_SOMEONE.search(fold(text)):
        return Parsed(None, unknown=True)
    house = read_household(text)
    if not house.understood:
        return None
    value = house.to_json()
    if house.self_age is not None:
        value["self_age"] = house.self_age
    return Parsed(value, readback=unsure("household") if house.doubts else None)


# -- facts --------------------------------------------------------------------------------------


def _read_house(text: str, ask: Ask) -> Parsed | None:
    count = places.read_count(text)
    if count is None:
        return None
    return Parsed({"count": count, "condition": places.house_condition(text)})


def _read_car(text: str, ask: Ask) -> Parsed | None:
    car, business = places.read_car(text), places.read_business(text)
    if car is None and business is None:
        return None
    return Parsed({"car": bool(car), "business": bool(business)})


def _read_school(text: str, ask: Ask) -> Parsed | None:
    value = facts.read_school(text, ask.age)
    return None if value is None else Parsed(value)


def _read_yes_no(text: str, ask: Ask) -> Parsed | None:
    value = yes_no(text)
    return None if value is None else Parsed(value)


def _read_choice(text: str, ask: Ask) -> Parsed | None:
    from bot.text import compact

    reply = compact(text)
    for index, words in enumerate(ask.words):
        if reply in words:
            return Parsed(index)
    picked = pick(text, list(ask.options))
    return None if picked is None else Parsed(picked)


def _read_who(text: str, ask: Ask) -> Parsed | None:
    """Which of the listed members: numbers ("1 3"), or words from their labels ("儿子")."""
    from bot.dialogs.answers.vocabulary import said

    reply = said(text)
    chosen = [i for i, label in enumerate(ask.options) if label and label in reply]
    if not chosen:
        numbers = [int(ch) for ch in reply if ch.isdigit()]
        chosen = [n - 1 for n in numbers if 1 <= n <= len(ask.options)]
    if not chosen:
        index = pick(text, list(ask.options))
        chosen = [] if index is None else [index]
    return Parsed(sorted(set(chosen))) if chosen else None


# -- the application's personal answers -------------------------------------------------------


def _several(read_one: Callable[[str, int | None], Any]) -> Callable[[str, Ask], Parsed | None]:
    """A kind for one reply about several members (ages, schools): {member index: value}."""
    from bot.dialogs.answers.several import read_several

    def read(text: str, ask: Ask) -> Parsed | None:
        ages = {m[0]: m[3] for m in ask.members}
        found = read_several(
            text, [m[:3] for m in ask.members], lambda clause, i: read_one(clause, ages.get(i))
        )
        if not found:
            return None
        return Parsed({str(i): (None if v == places.UNKNOWN else v) for i, v in found.items()})

    return read


def _read_years(text: str, ask: Ask) -> Parsed | None:
    """How long a 居住证 has been held; a loose phrase ("两年多", "好几年", "快一年") is read back."""
    value = durations.read_years(text, ask.today)
    if value is None or value == places.UNKNOWN:
        return None if value is None else Parsed(None, unknown=True)
    return Parsed(value, readback=unsure("loose") if durations.loose_years(text) else None)


_REFUSED = ("不想讲", "不想说", "不方便说", "不愿意说", "不愿说", "不好讲")


def _read_health(text: str, ask: Ask) -> Parsed | None:
    """Health; "家里的病 这个我不想讲" names nobody's health and refuses: not known, not a reading."""
    value = facts.read_health(text)
    said = value is not None and (value["disability"] is not None or value["illness"] is not None)
    if not said and any(w in fold(text) for w in _REFUSED):
        return Parsed(None, unknown=True)
    return None if value is None else Parsed(value)


def _read_supporters(text: str, ask: Ask) -> Parsed | None:
    """Children who must support the household, and whether they can; when the reply names them
    but says nothing of their means (and not that it does not know), that is confirmed, not assumed."""
    from bot.dialogs.answers.kinds_base import dont_know

    value = facts.read_supporters(text)
    if value is None:
        return None
    unclear = value["exists"] and value["can_support"] is None and not dont_know(text)
    unclear = unclear or (value["can_support"] is False and facts.out_of_touch(text))
    return Parsed(value, readback=unsure("ability") if unclear else None)


def _read_hardship(text: str, ask: Ask) -> Parsed | None:
    from bot.dialogs.answers.hardship import read_hardship

    value = read_hardship(text)
    return None if value is None else Parsed(value)


def _read_earnings(text: str, ask: Ask) -> Parsed | None:
    from bot.dialogs.answers.earnings import read_earnings

    return read_earnings(text, ask, _money("month"))


def _read_property(text: str, ask: Ask) -> Parsed | None:
    from bot.dialogs.answers.property import read_property

    value = read_property(text)
    return None if value is None else Parsed(value)


def _read_parents(text: str, ask: Ask) -> Parsed | None:
    from bot.dialogs.answers.parents import read_parents

    value = read_parents(text)
    return None if value is None else Parsed(value)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "amount_monthly", _money("month"), lambda v, a: describe_amount(v, "monthly"), takes_number=True
        ),
        Kind("amount_total", _money("total"), lambda v, a: describe_amount(v, "total"), takes_number=True),
        Kind("amount_yearly", _money("year"), lambda v, a: describe_amount(v, "yearly"), takes_number=True),
        Kind(
            "age", _plain(places.read_age), lambda v, a: display()["age"].format(value=v), takes_number=True
        ),
        Kind("count", _read_house, describe_house, takes_number=True),
        Kind("years", _read_years, years_show, takes_number=True),
        Kind("yes_no", _read_yes_no, lambda v, a: str(display()[yn(v)])),
        Kind("consent", read_consent, lambda v, a: str(display()["consent"][yn(v)])),
        Kind("choice", _read_choice, option_label, takes_number=True),
        Kind("who", _read_who, option_label, takes_number=True),
        Kind("members", _read_members, describe_members),
        Kind(
            "ages",
            _several(lambda text, age: places.read_age(text)),
            several_show(lambda v, a: display()["age"].format(value=v)),
            takes_number=True,
        ),
        Kind("schools", _several(facts.read_school), several_show(lambda v, a: str(display()["school"][v]))),
        Kind("place", _plain(places.read_place), place_show),
        Kind("health", _read_health, describe_health),
        Kind("disability_type", _plain(facts.read_disability_type), table("disability_type")),
        Kind(
            "disability_grade",
            _plain(facts.read_disability_grade),
            lambda v, a: display()["disability_grade"].format(value=v),
            takes_number=True,
        ),
        Kind("illness", _plain(facts.read_illness), lambda v, a: str(display()["illness"][yn(v["serious"])])),
        Kind("school", _read_school, table("school")),
        Kind("work", _plain(facts.read_work), lambda v, a: describe_work(v)),
        Kind("current", _plain(facts.read_current), listing("current")),
        Kind("emergency", _plain(facts.read_emergency), listing("emergency")),
        Kind("supporters", _read_supporters, describe_supporters),
        Kind("pension", guessed(pensions.read_pension, pensions.pension_summed), describe_pension),
        Kind("car", _read_car, describe_car),
        Kind("parents", _read_parents, parents_show),
        Kind("property", _read_property, lambda v, a: describe_property(v, a)),
        Kind("hardship", _read_hardship, describe_hardship),
        Kind("earnings", _read_earnings, describe_earnings),
        Kind("name", _plain(people.read_name), as_text),
        Kind("phone", read_phone, lambda v, a: v[:3] + "****" + v[-4:], takes_number=True),
        Kind("id_number", read_id, masked_id, takes_number=True),
        Kind("township", _plain(people.read_township), township_name),
        Kind("village", _plain(people.read_village), as_text),
    )
}


def kind(name: str) -> Kind:
    return KINDS[name]

