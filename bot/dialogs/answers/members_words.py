"""The words of household replies: relation words found in a reply, read relative to whoever was
just named.

Why: "孙子他妈" is the resident's daughter-in-law, "老倌他妈" a mother-in-law, "孩子她爸" a husband,
"他们爹是我儿子" says the same person twice, "我是她儿子" describes the resident. `mentions` returns
each relation word with the relation it has to the resident. (Words mistyped by sound, 儿息 for
儿媳, are mended before, by `pinyin.heard`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.text import fold

RELATIONS_PATH = Path(__file__).with_name("relations.yaml")
_PRONOUNS = ("他们的", "她们的", "他们", "她们", "他的", "她的", "他", "她")
_CHILD_PREFIXES = ("孩子", "娃娃", "娃儿", "娃", "小孩")
_PARENT_SUFFIXES = {
    "他爸": "male",
    "她爸": "male",
    "他爹": "male",
    "她爹": "male",
    "他爸爸": "male",
    "她爸爸": "male",
    "他妈": "female",
    "她妈": "female",
    "他妈妈": "female",
    "她妈妈": "female",
    "爸爸": "male",  # 孩子爸爸, 娃娃妈妈: the resident's spouse
    "妈妈": "female",
    "爸": "male",
    "妈": "female",
}
_DEPENDENTS = ("grandchild", "child", "sibling", "nephew_niece", "other", "spouse")


# What a parent's being gone means for a child (the rules' ParentStatus).
PARENT_STATUS = {
    "dead": "deceased",
    "left": "missing",
    "prison": "incarcerated",
    "divorced": "able",
    "married_out": "able",
    "lives_elsewhere": "able",
}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    word: str
    relation: str
    sex: str | None = None
    plural: bool = False
    self_description: bool = False  # "我是她儿子": the resident, not someone else
    restates: bool = False  # "他们爹是我儿子": the person just named, named again
    count: int = 0  # people a word names by itself ("一儿一女" = 2)
    guessed: bool = False  # said of whoever a pronoun points back to ("他爹他妈"): a guess


@cache
def relation_words() -> dict[str, Any]:
    raw = yaml.safe_load(RELATIONS_PATH.read_text(encoding="utf-8"))
    words = {fold(w): rel for rel, ws in raw["relations"].items() for w in ws}
    words.update({fold(w): "child" for w in raw["pairs"]})
    for prefix in _CHILD_PREFIXES:
        for suffix in _PARENT_SUFFIXES:
            words.setdefault(prefix + suffix, "spouse")
    sex = {fold(w): "female" for w in raw["female"]} | {fold(w): "male" for w in raw["male"]}
    for prefix in _CHILD_PREFIXES:
        for suffix, value in _PARENT_SUFFIXES.items():
            sex[prefix + suffix] = value
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    gone = {why: tuple(fold(w) for w in ws) for why, ws in raw["gone"].items()}
    return {
        "words": words,
        "pattern": pattern,
        "gone": gone,
        "sex": sex,
        "ordinals": {fold(k): v for k, v in raw["ordinals"].items()},
        "pairs": {fold(k): v for k, v in raw["pairs"].items()},
        "pairs_of": frozenset(map(fold, raw["pairs_of"])),
        "together": tuple(frozenset(pair) for pair in raw["together"]),
        **{
            name: tuple(sorted(map(fold, raw[name]), key=len, reverse=True))
            for name in (
                "none_before",
                "none_after",
                "no_spouse",
                "no_children",
                "alone",
                "alone_strict",
                "joined",
                "away",
                "couple",
                "possessive",
                "with",
                "vague",
                "former",
                "whole",
                "household_count",
                "retract",
                "married_daughter",
                "released",
                "titles",
                "surnames",
                "self_pair",
                "age_unsure",
            )
        },
        "places": _places(),
    }


def _places() -> tuple[str, ...]:
    from bot.dialogs.answers.facts import fact_words

    words = fact_words()["place"]
    return tuple(w for w in (*words["yunnan"], *words["outside"]) if len(w) >= 2)


def _compose(referent: Mention, word: str, relation: str, sex: str | None) -> str:
    """The relation to the resident of `word` said of `referent` ("孙子" + "他妈" → child_in_law)."""
    base = referent.relation
    if base == "grandchild" and relation == "parent":
        maternal = referent.word.startswith("外")
        own = "female" if maternal else "male"
        return "child" if sex == own else "child_in_law"
    if base == "child":
        return {"parent": "spouse", "spouse": "child_in_law", "child": "grandchild"}.get(relation, "other")
    if base == "spouse":
        # a spouse's grandparent is no grandparent of the resident: "老公他奶奶" is other
        return {"parent": "parent_in_law", "child": "child", "sibling": "other", "grandparent": "other"}.get(
            relation, relation
        )
    if base == "sibling":
        return {"parent": "parent"}.get(relation, "other")
    if base in ("other", "nephew_niece"):
        return "other"  # 侄儿 … 他爹妈: the nephew's parents are no relation the rules count
    return relation


def mentions(flat: str) -> list[Mention]:
    """Every relation word in the reply, left to right, with its relation to the resident."""
    vocab = relation_words()
    found: list[Mention] = []
    plain: list[Mention] = []  # mentions read as they are, which a later "他妈" can refer to
    said_of: dict[int, Mention] = {}  # a mention's start → whom it was said of
    for match in vocab["pattern"].finditer(flat):
        word, start = match.group(), match.start()
        relation, sex = vocab["words"][word], vocab["sex"].get(word)
        before = flat[max(0, start - 3) : start]
        if word.startswith(_CHILD_PREFIXES) and re.search(r"生(?:完|了|下|过)?$", before):
            continue  # "生完娃就走了": giving birth, not someone named
        if word in ("娘", "我娘", "妈") and flat.startswith("家", match.end()):
            continue  # 回娘家, 老婆娘家的妈: a wife's parents' home, not her mother named
        if word in vocab["titles"] and before[-1:] in vocab["surnames"]:
            continue  # "帮李老奶问": a neighbour's name for the resident, not a spouse
        previous = found[-1] if found else None
        referent, guessed = _referent(flat, word, relation, before, previous, plain, said_of)
        guessed = guessed or word in vocab["vague"]  # "我家老的": most likely the spouse, read back
        self_description = "我是" in flat[max(0, start - 4) : start] or (
            previous is None and before.endswith("是")
        )
        restates = not self_description and previous is not None and before.rstrip("我的").endswith("是")
        plural = word in vocab["pairs_of"]
        if referent is not None:
            if plural and referent.relation == "grandchild" and relation == "parent":
                for kind in ("male", "female"):
                    found.append(
                        Mention(start, match.end(), word, _compose(referent, word, relation, kind), kind,
                                guessed=guessed)
                    )
                continue
            relation = _compose(referent, word, relation, sex)
        count = len(vocab["pairs"][word]) if word in vocab["pairs"] else 0
        mention = Mention(
            start, match.end(), word, relation, sex, plural, self_description, restates, count, guessed
        )
        found.append(mention)
        if referent is not None:
            said_of[start] = referent
        if referent is None and not self_description and not restates:
            plain.append(mention)
    return found


def _referent(
    flat: str,
    word: str,
    relation: str,
    before: str,
    previous: Mention | None,
    plain: list[Mention],
    said_of: dict[int, Mention],
) -> tuple[Mention | None, bool]:
    """The person a relation word is said of: the one just named ("孙子的妈妈", "儿子媳妇"), or the
    one a pronoun points back to ("外孙跟着我 他妈妈改嫁了"), a guess; None when it is said of the
    resident."""
    vocab = relation_words()
    if previous is not None and not previous.self_description:
        gap = flat[previous.end : flat.find(word, previous.end)]
        if gap in vocab["possessive"] and relation in ("parent", "spouse", "child", "sibling", "grandparent"):
            if relation == "parent" and vocab["words"][previous.word] == "parent":
                said = said_of.get(previous.start)  # "孙子 他爹他妈": both said of the grandson
                return (said, previous.guessed) if said is not None else (previous, False)
            return previous, False
        if (
            relation == "spouse"
            and previous.relation == "child"
            and (gap in ("", "和", "跟", "的") or any(w in gap for w in ("讨", "娶", "找了")))
        ):
            return previous, False
        if (
            relation == "child"
            and previous.relation in ("child", "child_in_law")
            and gap.lstrip().startswith(("带着", "带了", "带", "生的", "家的", "生了"))
        ):
            return previous, False
    pronoun = next((p for p in _PRONOUNS if before.endswith(p)), None)
    if pronoun is not None and relation in ("parent", "spouse") and not word.startswith(_CHILD_PREFIXES):
        referent = next(
            (m for m in reversed(plain) if m.relation in _DEPENDENTS and not m.self_description), None
        )
        return referent, referent is not None
    return None, False
