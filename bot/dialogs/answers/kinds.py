"""The registry of answer kinds: each kind parses a reply, describes a stored answer, and says
whether a bare number is an answer to it — in one place, as Rasa's slot types do.

Why: the questionnaire, the application and the evaluation all need the same three things of an
answer; keeping them per kind means a new question picks a kind from `KINDS` instead of growing
its own parser. Values are plain JSON (they are sealed into Redis with the session).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import clock
from bot.application.identity import IdProblem
from bot.dialogs.answers import facts, people, places
from bot.dialogs.answers.members import read_household
from bot.dialogs.answers.money import Problem, read_amount
from bot.dialogs.answers.vocabulary import means, yes_no
from bot.dialogs.choices import pick

DISPLAY_PATH = Path(__file__).with_name("kinds.yaml")


@dataclass(frozen=True)
class Ask:
    """What reading a reply may depend on: the day, the household size, the member asked about."""

    today: date
    size: int = 1
    age: int | None = None  # the member's age (school); the age given (ID number check)
    options: tuple[str, ...] = ()  # numbered options shown with the question
    words: tuple[tuple[str, ...], ...] = ()  # other words for each option
    members: tuple[tuple[int, str, str, int | None], ...] = ()  # (index, relation, word, age) asked about


@dataclass(frozen=True)
class Parsed:
    value: Any
    problem: str | None = None  # an answer of this kind, but unusable: re-ask with this hint
    readback: str | None = None  # why to read it back before relying on it (yearly, per person …)
    unknown: bool = False  # understood: the resident gives no exact value ("快七十了", "记不清")


@cache
def display() -> dict[str, Any]:
    return yaml.safe_load(DISPLAY_PATH.read_text(encoding="utf-8"))


_DONT_KNOW = (
    "晓不得",
    "不晓得",
    "不知道",
    "说不清",
    "不清楚",
    "记不得",
    "记不清",
    "不方便说",
    "不想说",
    "不想讲",
    "不好说",
    "搞不清",
    "不懂",
)


def dont_know(text: str) -> bool:
    from bot.dialogs.answers.pinyin import heard

    reply = heard(text)
    return any(w in reply for w in _DONT_KNOW)


def _yn(value: bool) -> str:
    return "yes" if value else "no"


def figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 10000 else f"{value:g}"


@dataclass(frozen=True)
class Kind:
    name: str
    read: Callable[[str, Ask], Parsed | None]
    show: Callable[[Any, Ask], str]
    takes_number: bool = False

    def parse(self, text: str, ask: Ask) -> Parsed | None:
        parsed = self.read(text, ask)
        if parsed is None and dont_know(text):  # "晓不得 钱都是老倌管": understood as not known
            return Parsed(None, unknown=True)
        return parsed

    def describe(self, value: Any, ask: Ask | None = None) -> str:
        if value is None:
            return str(display()["unknown"])
        return self.show(value, ask or Ask(clock.today()))


def _plain(reader: Callable[[str], Any]) -> Callable[[str, Ask], Parsed | None]:
    def read(text: str, ask: Ask) -> Parsed | None:
        value = reader(text)
        if value == places.UNKNOWN:
            return Parsed(None, unknown=True)
        return None if value is None else Parsed(value)

    return read


# -- money --------------------------------------------------------------------------------------


def _money(period: str) -> Callable[[str, Ask], Parsed | None]:
    def read(text: str, ask: Ask) -> Parsed | None:
        amount = read_amount(text, period, ask.size)
        if amount is None:
            return None
        if isinstance(amount, Problem):
            return Parsed(None, problem=amount.value)
        converted = next((n for n in amount.notes if n in ("yearly", "daily", "per_person")), None)
        return Parsed(
            {
                "low": amount.low,
                "high": amount.high,
                "excluded": list(amount.excluded),
                "approx": amount.approx,
            },
            readback=converted,
        )

    return read


def describe_amount(value: dict[str, Any], period: str) -> str:
    shown = display()["amount"]
    low, high = value["low"], value["high"]
    middle = (low + high) / 2
    if low == high:
        amount = shown["exact"].format(value=figure(low))
    elif value.get("approx") and high - low <= 0.25 * middle:
        amount = shown["about"].format(value=figure(round(middle)))
    else:
        amount = shown["range"].format(low=figure(low), high=figure(high))
    text = shown[period].format(amount=amount)
    if value.get("excluded"):
        items = display()["separator"].join(
            dict.fromkeys(shown["excluded_items"][k] for k in value["excluded"])
        )
        text += shown["excluded"].format(items=items)
    return text


# -- members ------------------------------------------------------------------------------------


def _read_members(text: str, ask: Ask) -> Parsed | None:
    house = read_household(text)
    if not house.understood:
        return None
    value = house.to_json()
    if house.self_age is not None:
        value["self_age"] = house.self_age
    return Parsed(value)


def describe_members(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["members"]
    people_ = [
        shown["member_age" if m.get("age") is not None else "member"].format(**m) for m in value["members"]
    ]
    text = display()["separator"].join(people_) or shown["nobody"]
    for gone in value.get("gone", []):
        text += shown["gone"].format(who=gone["word"], why=shown["why"][gone["why"]])
    return text


# -- facts --------------------------------------------------------------------------------------


def describe_health(value: dict[str, Any], ask: Ask) -> str:
    shown, parts = display()["health"], []
    if value.get("disability") is not None:
        parts.append(shown["disability"][_yn(value["disability"])])
    if value.get("ill_unclear"):
        parts.append(shown["illness"]["unclear"])
    elif value.get("illness") is not None:
        parts.append(shown["illness"][_yn(value["illness"])])
    return "；".join(parts) or str(display()["unknown"])


def _listing(section: str) -> Callable[[Any, Ask], str]:
    def show(value: list[str], ask: Ask) -> str:
        labels = [display()[section][v] for v in value]
        return display()["separator"].join(labels) if labels else str(display()["none"])

    return show


def describe_work(value: bool | list[str]) -> str:
    shown = display()["work"]
    if isinstance(value, list):
        if not value:
            return str(shown["no"])
        words = {**{k: v for k, v in relation_labels().items()}, "self": shown["self"]}
        return display()["separator"].join(words.get(r, r) for r in value)
    return str(shown[_yn(value)])


def relation_labels() -> dict[str, str]:
    return dict(display()["relations"])


def describe_supporters(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["supporters"]
    if not value.get("exists"):
        return str(shown["none"])
    return str(shown[{True: "able", False: "unable", None: "unclear"}[value.get("can_support")]])


def describe_pension(value: dict[str, Any], ask: Ask) -> str:
    text = str(display()["pension"]["kind"][value["kind"]])
    if value.get("monthly"):
        low, high = value["monthly"]
        text += "，" + describe_amount({"low": low, "high": high}, "monthly")
    return text


def _read_house(text: str, ask: Ask) -> Parsed | None:
    count = places.read_count(text)
    if count is None:
        return None
    return Parsed({"count": count, "condition": places.house_condition(text)})


def describe_house(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["house"]
    if value["count"] == 0:
        return str(shown["none"])
    return shown["count"].format(value=value["count"]) + (
        shown["dangerous"] if value.get("condition") == "dangerous" else ""
    )


def _read_car(text: str, ask: Ask) -> Parsed | None:
    car, business = places.read_car(text), places.read_business(text)
    if car is None and business is None:
        return None
    return Parsed({"car": bool(car), "business": bool(business)})


def describe_car(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["car"]
    text = str(shown[_yn(value["car"])])
    return text + "；" + str(shown["business"]) if value.get("business") else text


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
    index = pick(text, list(ask.options))
    return None if index is None else Parsed(index)


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


def _several_show(show: Callable[[Any, Ask], str]) -> Callable[[Any, Ask], str]:
    def describe(value: dict[str, Any], ask: Ask) -> str:
        words = {str(m[0]): m[2] for m in ask.members}
        unknown = str(display()["unknown"])
        shown = (
            words.get(i, i) + (show(v, ask) if v is not None else "：" + unknown) for i, v in value.items()
        )
        return "，".join(shown)

    return describe


def _read_phone(text: str, ask: Ask) -> Parsed | None:
    phone = people.read_phone(text)
    if phone is None:
        return None
    if phone == "unknown":
        return Parsed(None, unknown=True)
    return Parsed(None, problem="invalid") if phone == "invalid" else Parsed(phone)


def _read_id(text: str, ask: Ask) -> Parsed | None:
    checked = people.read_id(text, ask.today, ask.age)
    if checked is None:
        return None
    if checked == "unknown":
        return Parsed(None, unknown=True)
    if isinstance(checked, IdProblem):
        return Parsed(None, problem=checked.value)
    value = {"id_number": checked.id_number.value, "age": checked.age}
    return Parsed(value, readback="mismatch") if checked.mismatch else Parsed(value)


def _masked_id(value: dict[str, Any], ask: Ask) -> str:
    from bot.application.identity import mask_id

    return mask_id(value["id_number"])


def _township_name(code: str, ask: Ask) -> str:
    from bot.townships import township

    found = township(code)
    return found["name"] if found else code


def _text(value: Any, ask: Ask) -> str:
    return str(value)


def _table(section: str) -> Callable[[Any, Ask], str]:
    return lambda value, ask: str(display()[section][value])


def _consent(text: str, ask: Ask) -> Parsed | None:
    """Yes or no to the questions; the last clause that says either decides ("这些会不会拿去给别人看
    算了 你问嘛" is a yes, "刚才说可以 我想了一下 还是不要了" a no); "先问问我儿子" is not yet either."""
    import re

    from bot.dialogs.answers.pinyin import heard
    from bot.dialogs.answers.vocabulary import said

    if means(text, "unknown"):
        return Parsed(None, unknown=True)
    for clause in reversed([c for c in re.split(r"[\s，,。！!？?]+", heard(text)) if c]):
        value = yes_no(clause)
        if value is None and re.search(r"^(?:就|你|那)?问(?:嘛|吧)?$|^得嘛?$|^行嘛$", said(clause)):
            value = True
        if value is None and re.search(r"不要了|不想说|不想答|不做了|不搞了", said(clause)):
            value = False
        if value is not None:
            return Parsed(value)
    if re.search(r"先问问|再说|考虑|先说清楚|搞哪样|干什么用", said(text)):
        return Parsed(None, unknown=True)
    return None


def _option_label(value: Any, ask: Ask) -> str:
    if isinstance(value, list):
        return display()["separator"].join(ask.options[i] for i in value) if value else str(display()["none"])
    return ask.options[value] if isinstance(value, int) and value < len(ask.options) else str(value)


def _place_show(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["place"]
    text = str(shown["hukou"][value["hukou"]])
    return text + "，" + str(shown["area"][value["area"]]) if value.get("area") else text


def _years_show(value: float, ask: Ask) -> str:
    """1.17 → "1年2个月", 0.67 → "8个月", 2.0 → "2年" (never "1.17年")."""
    if value == 0:
        return str(display()["no_years"])
    months = round(value * 12)
    years, months = divmod(months, 12)
    shown = display()["held"]
    parts = ([shown["years"].format(value=years)] if years else []) + (
        [shown["months"].format(value=months)] if months else [])
    return "".join(parts)


def _parents_show(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["parents"]
    return "；".join(f"{who}：{shown[v]}" for who, v in value.items() if v)


def _read_property(text: str, ask: Ask) -> Parsed | None:
    from bot.dialogs.answers.property import read_property

    value = read_property(text)
    return None if value is None else Parsed(value)


def describe_property(value: dict[str, Any], ask: Ask) -> str:
    parts = []
    if "savings" in value:
        parts.append("存款" + describe_amount(value["savings"], "total"))
    if "house" in value:
        parts.append(describe_house(value["house"], ask))
    if "car" in value:
        parts.append(describe_car(value["car"], ask))
    return "；".join(parts)


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
        Kind("years", _plain(places.read_years), _years_show, takes_number=True),
        Kind("yes_no", _read_yes_no, lambda v, a: str(display()[_yn(v)])),
        Kind("consent", _consent, lambda v, a: str(display()["consent"][_yn(v)])),
        Kind("choice", _read_choice, _option_label, takes_number=True),
        Kind("who", _read_who, _option_label, takes_number=True),
        Kind("members", _read_members, describe_members),
        Kind(
            "ages",
            _several(lambda text, age: places.read_age(text)),
            _several_show(lambda v, a: display()["age"].format(value=v)),
            takes_number=True,
        ),
        Kind("schools", _several(facts.read_school), _several_show(lambda v, a: str(display()["school"][v]))),
        Kind("place", _plain(places.read_place), _place_show),
        Kind("health", _plain(facts.read_health), describe_health),
        Kind("disability_type", _plain(facts.read_disability_type), _table("disability_type")),
        Kind(
            "disability_grade",
            _plain(facts.read_disability_grade),
            lambda v, a: display()["disability_grade"].format(value=v),
            takes_number=True,
        ),
        Kind(
            "illness", _plain(facts.read_illness), lambda v, a: str(display()["illness"][_yn(v["serious"])])
        ),
        Kind("school", _read_school, _table("school")),
        Kind("work", _plain(facts.read_work), lambda v, a: describe_work(v)),
        Kind("current", _plain(facts.read_current), _listing("current")),
        Kind("emergency", _plain(facts.read_emergency), _listing("emergency")),
        Kind("supporters", _plain(facts.read_supporters), describe_supporters),
        Kind("pension", _plain(places.read_pension), describe_pension),
        Kind("car", _read_car, describe_car),
        Kind("parents", _read_parents, _parents_show),
        Kind("property", _read_property, lambda v, a: describe_property(v, a)),
        Kind("name", _plain(people.read_name), _text),
        Kind("phone", _read_phone, lambda v, a: v[:3] + "****" + v[-4:], takes_number=True),
        Kind("id_number", _read_id, _masked_id, takes_number=True),
        Kind("township", _plain(people.read_township), _township_name),
        Kind("village", _plain(people.read_village), _text),
    )
}


def kind(name: str) -> Kind:
    return KINDS[name]
