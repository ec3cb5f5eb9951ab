"""Whom a mention of a relation refers to: someone counted just before ("三个娃娃 大的10岁"), or
someone named already ("我老妈 … 我老妈七十几了"), or nobody yet (a new person).

Why apart from `members_reading`: the reading walks the mentions and changes the household; these
lookups only look at what it holds, and each rule here is one way residents name a person again.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.members_people import Household, Person
from bot.dialogs.answers.members_words import Mention, relation_words

YOUNG = ("child", "grandchild", "nephew_niece")  # whom 娃娃 may mean
VAGUE = ("娃娃", "孩子", "娃", "娃儿", "小孩", "小娃", "孩子们", "娃娃们")
NEW = re.compile(r"(?:一个是|一个|有个|另一个|还有一个|另外一个|又一个)$")
_SIZED = ("小", "大", "幺", "二", "老二", "三", "老三")  # 小儿子, 大姑娘: one of several, by age


def _bare(word: str) -> str:
    """The word without 我/老, and a doubled kin word said once (我姐, 姐姐 and 老姐 → 姐): one person."""
    word = word.removeprefix("我").removeprefix("老") or word
    return word[0] if len(word) == 2 and word[0] == word[1] else word


def described(
    pending: list[Person],
    last: Person | None,
    mention: Mention,
    before: str,
    gap: str,
    previous: Mention | None,
) -> Person | None:
    """A person counted or named just before whom this mention describes: "大的10岁",
    "老大是姑娘", "一个是儿子 六岁", "三个孙子孙女"."""
    vocab = relation_words()
    place = vocab["ordinals"].get(mention.word)
    if place is not None and pending:
        target = pending[0] if place > 0 else pending[-1]
        if place == 2 and len(pending) == 3:
            target = pending[1]
        pending.remove(target)
        return target
    if (
        previous is not None
        and previous.word in vocab["ordinals"]
        and len(gap.strip()) <= 2
        and not re.search(r"[\d一二两三四五六七八九十]", gap)  # "大姑娘二十 小姑娘…": an age, not 是
        and mention.relation == "child"
        and last is not None
        and place is None
    ):
        return last  # 老大是姑娘
    same = [m for m in pending if m.relation == mention.relation]
    fits = bool(same) and (mention.sex is None or same[0].sex in (None, mention.sex))
    if fits and NEW.search(before):  # "两个娃 一个是姑娘", not "两个儿子 一个姑娘" (a third)
        pending.remove(same[0])
        return same[0]
    joined = previous is not None and previous.relation == mention.relation and not gap
    if same and place is None and joined:
        return same[0]  # "三个孙子孙女": the word after the first is one of the three, still to place
    if fits and place is None:
        pending.remove(same[0])
        return same[0]
    return None


def named_before(house: Household, mention: Mention, before: str) -> Person | None:
    """The same person named again ("我老妈 … 我老妈七十几了", "孙子 … 孙子12岁")."""
    if NEW.search(before):
        return None
    people = [*house.members, *house.gone]
    if mention.relation == "spouse":
        return next((m for m in people if m.relation == "spouse" and m.gone is None), None)
    if mention.word in VAGUE and mention.relation == "grandchild":
        waiting = [m for m in house.members if m.relation == "grandchild" and m.age is None]
        if waiting:
            return waiting[0]
    if mention.word in VAGUE and mention.relation == "child":
        grandchildren = [m for m in house.members if m.relation == "grandchild"]
        children = [m for m in house.members if m.relation == "child"]
        if grandchildren and not children:
            return next((m for m in grandchildren if m.age is None), grandchildren[-1])
        if children and not re.search(r"[一二两三四五六七八九\d]个$", before):
            return next((m for m in children if m.age is None), children[0])  # "娃娃读书": the same ones
    sized = [
        m
        for m in people
        if m.relation == mention.relation
        and m.word != mention.word
        and m.word.endswith(mention.word)
        and m.word[: -len(mention.word)] in _SIZED
    ]
    if len(sized) == 1 and not any(m.word == mention.word for m in people):
        return sized[0]  # "小儿子一家 … 儿子三十六": the younger son, named again
    pairs = relation_words()["pairs_of"]
    paired = [m for m in house.members if m.relation == mention.relation and m.word in pairs]
    if mention.word not in pairs and any(m.age is None for m in paired):
        return next(m for m in paired if m.age is None)  # "跟我爸妈一起 我爸六十五": one of the two
    same = next(  # "我妈 … 妈六十七", "大女儿十九 … 大女儿读书": the same person
        (
            m
            for m in people
            if m.relation == mention.relation
            and any(_bare(w) == _bare(mention.word) for w in (m.word, *m.names))
        ),
        None,
    )
    if same is not None:
        return same
    words = relation_words()["words"]
    bare = words.get(mention.word) == mention.relation
    if bare and not any(m.relation == mention.relation for m in people):
        composed = [m for m in people if m.word == mention.word and words.get(m.word) != m.relation]
        if len(composed) == 1:
            return composed[0]  # "老公他奶奶 … 奶奶九十二": his grandmother, named again by the word
    return next(
        (
            m
            for m in house.members
            if m.relation == mention.relation
            and m.word in VAGUE
            and m.age is None
            and mention.word not in VAGUE
        ),
        None,
    )
