"""What became of a child's parents: "他爸去世了 他妈跑了", "爹妈都在外面打工", "妈妈在坐牢".

Why: a child whose parents are dead, missing, in prison or severely ill or disabled may get the
orphan or 事实无人抚养 allowance; the same gone-words as for the household (relations.yaml) say
what happened to each parent.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.facts import fact_words
from bot.dialogs.answers.members import relation_words
from bot.dialogs.answers.members_words import PARENT_STATUS
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import yes_no

_FATHER = ("爸爸", "父亲", "他爸", "她爸", "爹", "爸", "老汉", "儿子", "女婿", "老公", "男人")
_MOTHER = (
    "妈妈",
    "母亲",
    "他妈",
    "她妈",
    "妈",
    "娘",
    "儿媳",
    "儿媳妇",
    "媳妇",
    "姑娘",
    "女儿",
    "老婆",
    "婆娘",
)
_BOTH = ("爹妈", "父母", "爸妈", "爸爸妈妈", "两个", "都")
_ABLE = ("在外面打工", "打工", "健在", "好好的", "在", "上班", "能管", "管着", "养着", "都好")


def _status(piece: str) -> str | None:
    gone = relation_words()["gone"]
    hits = {
        why: min(piece.find(w) for w in words if w in piece)
        for why, words in gone.items()
        if any(w in piece for w in words)
    }
    if hits:
        return PARENT_STATUS[min(hits, key=hits.__getitem__)]
    health = fact_words()["health"]
    if any(w in piece for w in (*health["serious"], *health["disability"])):
        return "disabled_or_ill"
    if any(w in piece for w in _ABLE):
        return "able"
    return None


def read_parents(text: str) -> dict[str, str | None] | None:
    """{father, mother}: able | deceased | missing | incarcerated | disabled_or_ill | None."""
    reply = heard(text)
    found: dict[str, str | None] = {"father": None, "mother": None}
    pieces = [p for p in re.split(r"[\s，,。；;、]+", reply) if p]
    for piece in pieces:
        status = _status(piece)
        if status is None:
            continue
        if any(w in piece for w in _BOTH) and not any(w in piece for w in (*_FATHER, *_MOTHER)[:5]):
            found = {"father": found["father"] or status, "mother": found["mother"] or status}
            continue
        at_father = min((piece.find(w) for w in _FATHER if w in piece), default=-1)
        at_mother = min((piece.find(w) for w in _MOTHER if w in piece), default=-1)
        if at_father >= 0 and (at_mother < 0 or at_father < at_mother):
            found["father"] = status
            if at_mother >= 0 and "都" in piece:
                found["mother"] = status
        elif at_mother >= 0:
            found["mother"] = status
            if at_father >= 0 and "都" in piece:
                found["father"] = status
    if found == {"father": None, "mother": None}:
        return {"father": "able", "mother": "able"} if yes_no(text) is True else None
    return found
