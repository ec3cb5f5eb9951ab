"""One reply about several members at once: "公公七十四 大的十七 小的十三", "大的读高二 小的读小学".

Why: a caseworker asks "两个娃娃多大了？" once, not once per child. Each clause of the reply is
read by the kind's own reader and given to the member it names: by relation word ("公公"), by
place among the children ("大的", "老二", "小的"), or else to the next member in the order asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.dialogs.answers.members_words import mentions, relation_words
from bot.dialogs.answers.pinyin import heard

_CLAUSE = re.compile(r"[\s，,。；;、]+")


def read_several(
    text: str, members: Sequence[tuple[int, str, str]], reader: Callable[[str, int], Any]
) -> dict[int, Any] | None:
    """{member index: value} for `members` ((index, relation, word) in the order asked), or None
    when no clause gives a value. `reader(clause, index)` reads one clause for one member."""
    ordinals = relation_words()["ordinals"]
    left = list(members)
    found: dict[int, Any] = {}
    for clause in (c for c in _CLAUSE.split(heard(text)) if c):
        target = _named(clause, left, ordinals)
        if target is None and left:
            target = left[0]
        if target is None:
            continue
        value = reader(clause, target[0])
        if value is None:
            continue
        found[target[0]] = value
        left.remove(target)
    return found or None


def _named(
    clause: str, left: list[tuple[int, str, str]], ordinals: dict[str, int]
) -> tuple[int, str, str] | None:
    for mention in mentions(clause):
        place = ordinals.get(mention.word)
        group = [m for m in left if m[1] == "child" or m[1] == "grandchild"]
        if place is not None and group:
            return group[0] if place > 0 else group[-1]
        same_word = [m for m in left if m[2] == mention.word]
        same = same_word or [m for m in left if m[1] == mention.relation]
        if same:
            return same[0]
    return None
