"""Savings, houses and vehicles in one reply: "存款两三千 一处老房子 车子莫得".

Why: a caseworker asks about property once. Each clause of the reply goes to the topic its words
name (存款/钱 → savings, 房 → houses, 车/铺面 → vehicles and premises); a clause naming none
("莫得莫得") belongs with the one before it. Each topic is then read by its own reader; a topic the
reply does not touch stays open for its own question.
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogs.answers.money import Amount, read_amount
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.places import house_condition, read_business, read_car, read_count

CUES = {
    "savings": ("存", "钱", "积蓄", "块", "万", "千", "理财", "存款"),
    "house": ("房", "屋", "住", "院", "栋", "危", "间", "处"),
    "car": ("车", "拖拉机", "农机", "铺面", "门面", "商铺", "厂房", "挖机", "摩托", "电动", "三轮"),
}
_CLAUSE = re.compile(r"[\s，,。；;、]+")
_ALL_NONE = re.compile(r"^(?:都|全都|啥都|哪样都|什么都)(?:没有|没得|莫得)")
_BARE_NO = re.compile(r"^(?:没有|没得|莫得|冇得|都没有|都莫得)+$")


def read_property(text: str) -> dict[str, Any] | None:
    """{savings?: amount, house?: {count, condition}, car?: {car, business}} for the topics said."""
    parts: dict[str, list[str]] = {}
    last: str | None = None
    for clause in (c for c in _CLAUSE.split(heard(text)) if c):
        topic = next(
            (t for t, cues in CUES.items() if any(c in clause for c in cues) and t != "savings"), None
        )
        if topic is None and any(c in clause for c in CUES["savings"]):
            topic = "savings"
        if topic is None and last is not None and _BARE_NO.match(clause) and last in parts:
            # "一间 莫得": a bare no after a topic already answered is the next topic's answer
            following = [t for t in CUES if t not in parts and list(CUES).index(t) > list(CUES).index(last)]
            topic = following[0] if following else last
        topic = topic or last
        if topic is None:
            if _ALL_NONE.match(clause) or _BARE_NO.match(clause):  # no savings, no car; the house is asked
                parts.setdefault("savings", []).append(clause)
                parts.setdefault("car", []).append(clause)
            continue
        parts.setdefault(topic, []).append(clause)
        last = topic
    found: dict[str, Any] = {}
    if "savings" in parts:
        amount = read_amount(" ".join(parts["savings"]), "total")
        if isinstance(amount, Amount):
            found["savings"] = amount.stored(excluded=False)
    if "house" in parts:
        said = " ".join(parts["house"])
        count = read_count(said)
        if count is not None:
            found["house"] = {"count": count, "condition": house_condition(said)}
    if "car" in parts:
        said = " ".join(parts["car"])
        car, business = read_car(said), read_business(said)
        if car is not None or business is not None:
            found["car"] = {"car": bool(car), "business": bool(business)}
    return found or None
