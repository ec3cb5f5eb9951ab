"""Relations re-read from the side of the person the questionnaire is about, when someone else
types for them.

Why: "帮我妈填 她七十九 跟我爸住" is a mother whose husband lives with her: 我爸 is the
applicant's spouse, not a parent; "替我婆婆答 她跟我公公两个住" is a couple; "帮我外婆填的 … 我妈是
老大 … 我舅舅 …" names the applicant's children; "帮王大爹问 他一个人" is a neighbour, and 大爹
is the resident himself, not a father. A caseworker hearing a grandson speak turns every word
round to the grandmother; `for_applicant` does the same to the mentions before they are read.
A word said of the applicant through a pronoun ("她老倌", "她有三个孩子") is already hers.
The household stays marked as typed for someone else, so what was taken is read back.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.dialogs.answers.members_people import ages_in
from bot.dialogs.answers.members_words import Mention

# "帮我妈填", "替我婆婆答", "帮我们村的刀大妈问一下", "我是孙女 帮我爷爷问的"
TYPED_FOR = re.compile(r"(?:帮|替|代)(?P<who>\S{1,10}?)(?:问问|问一下|问下|问|填|答|写|查|申请|看看)")
# "隔壁老爹家就他和…": a neighbour's household, told by the neighbour's neighbour
_NEIGHBOUR = re.compile(r"(?P<who>隔壁(?:的)?\S{1,4}?)家")
_THIRD_PARTY = re.compile(r"村|隔壁|邻居|寨子")
_MARKERS = re.compile(r"我们村的?|村里的?|村上的?|隔壁的?|邻居家?的?|寨子里的?|我们|我的?|的")
_NAME = 2  # characters of a name before 大妈, 大爹 (王, 刀, 李二)
_ELDERS = ("parent", "grandparent", "uncle_aunt", "parent_in_law", "other")  # how a neighbour is called

# The applicant's relation to the writer → how the writer's relations look from the applicant.
_TURNED: dict[str, dict[str, str]] = {
    "parent": {"parent": "spouse", "sibling": "child", "child": "grandchild", "spouse": "child_in_law",
               "grandparent": "parent"},
    "parent_in_law": {"parent_in_law": "spouse", "spouse": "child", "child": "grandchild",
                      "sibling_in_law": "child"},
    "grandparent": {"grandparent": "spouse", "parent": "child", "uncle_aunt": "child",
                    "sibling": "grandchild"},
    # "帮我舅舅问 … 舅妈早死了": the typer's aunt is his wife, the typer's parent his sibling
    "uncle_aunt": {"uncle_aunt": "spouse", "parent": "sibling", "grandparent": "parent", "other": "child"},
}
# Said of the applicant through a pronoun ("她老倌", "她有三个孩子", "他的儿子"): already theirs.
_OF_APPLICANT = re.compile(r"(?:他|她)(?:的|家的|有|还有|家)?(?:一个|两个|三个|四个|个)?$")


def for_applicant(flat: str, found: list[Mention]) -> tuple[list[Mention], int | None] | None:
    """The mentions turned to the applicant's side, the applicant's own marked as describing the
    resident, and the applicant's age when said right after them ("帮我妈填 她七十九"); None when
    the reply is not typed for someone else (or for whom is unclear)."""
    match = TYPED_FOR.search(flat) or _NEIGHBOUR.search(flat)
    if match is None:
        return None
    start, end = match.span("who")
    named = [m for m in found if start <= m.start and m.end <= end]
    if not named:
        return None
    applicant = named[0]
    prefix = flat[start : applicant.start]
    name = _MARKERS.sub("", prefix).strip()  # "刀" of 我们村的刀大妈, "李" of 隔壁李大妈
    if named[-1].end < end - 1 or len(name) > _NAME or (name and applicant.relation not in _ELDERS):
        return None  # "我妈帮我照顾娃娃 问一下": not whom it is typed for
    third_party = bool(_THIRD_PARTY.search(prefix)) or bool(name)
    if not third_party and applicant.relation not in _TURNED:
        return None  # "我帮我儿子问": a parent for a child; the words are read as they are
    turned = _TURNED.get(applicant.relation, {})
    out: list[Mention] = []
    for mention in found:
        if mention.word == applicant.word or _bare(mention.word) == _bare(applicant.word):
            out.append(replace(mention, self_description=True))
            continue
        said_of = flat[max(0, mention.start - 6) : mention.start]
        if (
            third_party
            or mention.self_description
            or _OF_APPLICANT.search(said_of)
            or (mention.relation == "child" and not said_of.endswith("我"))  # "只有一个女儿": hers
        ):
            out.append(mention)
            continue
        relation = turned.get(mention.relation, "other")
        if relation == "spouse" and mention.sex is not None and mention.sex == applicant.sex:
            relation = "other"  # 帮我妈填 … 我外婆: not her husband
        out.append(replace(mention, relation=relation))
    return out, _age_after(flat, match.end(), found)


# "她七十九", "他今年八十一了": the applicant's age, said of them right after they are named.
_AGE_AFTER = re.compile(r"^\S{0,2}?\s*(?:他|她)(?:今年|都|已经|快)?([一二三四五六七八九十百\d]{1,4})")


def _age_after(flat: str, end: int, found: list[Mention]) -> int | None:
    nxt = next((m.start for m in found if m.start >= end), len(flat))
    piece = flat[end:nxt]
    if _AGE_AFTER.match(piece) is None:
        return None
    ages = ages_in(piece)  # "他一个人住" is no age, "她七十多了" no exact one
    return ages[0] if ages and ages[0] >= 0 else None


def _bare(word: str) -> str:
    return word.removeprefix("我")
