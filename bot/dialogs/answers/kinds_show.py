"""How a stored answer is said back to the resident: in the read-back, the summary and the result.

Why: one short line per answer, in the words of `kinds.yaml`, so the summary fits a phone screen
and an elderly resident can check it; personal numbers are masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.dialogs.answers.kinds_base import Ask, display, figure, yn


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


def describe_members(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["members"]
    people_ = [
        shown["member_age" if m.get("age") is not None else "member"].format(**m) for m in value["members"]
    ]
    text = display()["separator"].join(people_) or shown["nobody"]
    for gone in value.get("gone", []):
        text += shown["gone"].format(who=gone["word"], why=shown["why"][gone["why"]])
    return text


def describe_health(value: dict[str, Any], ask: Ask) -> str:
    shown, parts = display()["health"], []
    if value.get("disability") is not None:
        parts.append(shown["disability"][yn(value["disability"])])
    if value.get("ill_unclear"):
        parts.append(shown["illness"]["unclear"])
    elif value.get("illness") is not None:
        parts.append(shown["illness"][yn(value["illness"])])
    return "；".join(parts) or str(display()["unknown"])


def listing(section: str) -> Callable[[Any, Ask], str]:
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
    return str(shown[yn(value)])


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


def describe_house(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["house"]
    if value["count"] == 0:
        return str(shown["none"])
    return shown["count"].format(value=value["count"]) + (
        shown["dangerous"] if value.get("condition") == "dangerous" else ""
    )


def describe_car(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["car"]
    text = str(shown[yn(value["car"])])
    return text + "；" + str(shown["business"]) if value.get("business") else text


def several_show(show: Callable[[Any, Ask], str]) -> Callable[[Any, Ask], str]:
    def describe(value: dict[str, Any], ask: Ask) -> str:
        words = {str(m[0]): m[2] for m in ask.members}
        unknown = str(display()["unknown"])
        shown = (
            words.get(i, i) + (show(v, ask) if v is not None else "：" + unknown) for i, v in value.items()
        )
        return "，".join(shown)

    return describe


def masked_id(value: dict[str, Any], ask: Ask) -> str:
    from bot.application.identity import mask_id

    return mask_id(value["id_number"])


def township_name(code: str, ask: Ask) -> str:
    from bot.townships import township

    found = township(code)
    return found["name"] if found else code


def as_text(value: Any, ask: Ask) -> str:
    return str(value)


def table(section: str) -> Callable[[Any, Ask], str]:
    return lambda value, ask: str(display()[section][value])


def option_label(value: Any, ask: Ask) -> str:
    if isinstance(value, list):
        return display()["separator"].join(ask.options[i] for i in value) if value else str(display()["none"])
    return ask.options[value] if isinstance(value, int) and value < len(ask.options) else str(value)


def place_show(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["place"]
    text = str(shown["hukou"][value["hukou"]])
    return text + "，" + str(shown["area"][value["area"]]) if value.get("area") else text


def years_show(value: float, ask: Ask) -> str:
    """1.17 → "1年2个月", 0.67 → "8个月", 2.0 → "2年" (never "1.17年")."""
    if value == 0:
        return str(display()["no_years"])
    months = round(value * 12)
    years, months = divmod(months, 12)
    shown = display()["held"]
    parts = ([shown["years"].format(value=years)] if years else []) + (
        [shown["months"].format(value=months)] if months else [])
    return "".join(parts)


def parents_show(value: dict[str, Any], ask: Ask) -> str:
    shown = display()["parents"]
    return "；".join(f"{who}：{shown[v]}" for who, v in value.items() if v)


def describe_property(value: dict[str, Any], ask: Ask) -> str:
    parts = []
    if "savings" in value:
        parts.append("存款" + describe_amount(value["savings"], "total"))
    if "house" in value:
        parts.append(describe_house(value["house"], ask))
    if "car" in value:
        parts.append(describe_car(value["car"], ask))
    return "；".join(parts)


def describe_earnings(value: dict[str, Any], ask: Ask) -> str:
    parts = []
    if "work" in value:
        parts.append(describe_work(value["work"]))
    if "income" in value:
        income = describe_amount(value["income"], "monthly")
        parts.append(display()["earnings"]["income"].format(amount=income))
    return "；".join(parts)


def describe_hardship(value: dict[str, Any], ask: Ask) -> str:
    parts = []
    if "emergency" in value:
        events = value["emergency"]
        parts.append(str(display()["unknown"]) if events is None else listing("emergency")(events, ask))
    if "medical_spending" in value:
        spent = describe_amount(value["medical_spending"], "total")
        parts.append(display()["hardship"]["medical"].format(amount=spent))
    return "；".join(parts)
