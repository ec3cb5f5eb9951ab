"""Who in the household earns, from however the resident says it.

Why: "就老公一个人在做" names who works; "干活 干不了了" repeats the question's word before saying
nobody can; "莫得一个能做活计的" and "哪个都没上班" are nobody, the no-word said before the work.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.facts_words import fact_words, has
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import yes_no


def read_work(text: str) -> bool | list[str] | None:
    """Who earns: the relations of those who do ("self" for the resident; farming and odd jobs
    count), False when nobody does, True when someone does and the reply does not say who."""
    from bot.dialogs.answers.members_words import mentions

    groups, reply = fact_words()["work"], heard(text)
    clauses = [c for c in re.split(r"[\s，,。；;、]+", reply) if c]
    earners: list[str] = []
    subject = None
    nobody = unnamed = False
    for index, clause in enumerate(clauses):
        if _topic_only(clause, groups, clauses[index + 1 : index + 2]):
            continue  # "干活 干不了了": the question's word said back, then the answer
        named = [  # "做保姆": a job, not a person named
            m.relation
            for m in mentions(clause)
            if not m.self_description and clause[: m.start][-1:] not in ("做", "当")
        ]
        subjects = named or (["self"] if "我" in clause else [subject] if subject else [])
        if named and re.search(r"我(?:和|跟)", clause):
            subjects = ["self", *named]
        subject = subjects[-1] if subjects else subject
        clause = clause.replace("现在", "今")  # a time word: "现在做不了" is not "在做"
        working = has(clause, groups["working"]) and not _PAST.search(clause)  # "原来打工": not now
        idle = has(clause, groups["not_working"])
        rest = _STOPPED_NOW.sub(" ", clause)
        if rest != clause and not has(rest, groups["working"]) and (named or not re.search("[他她]", clause)):
            # "一年做两三个月 现在没做", "下半年莫得做了", "种点菜 不算做工": the work said is not now
            earners = [e for e in earners if subjects and e not in subjects]
            unnamed, nobody = unnamed and bool(earners), not earners
            continue
        if clause.lstrip("如今就也都屋头家里").startswith(_NOBODY) or _NO_EARNER.search(clause) or _none_can(
            clause, groups["working"]
        ):
            nobody = True
        elif working and not (
            idle
            and clause.find(_first_of(clause, groups["not_working"]))
            < clause.find(_first_of(clause, groups["working"]))
        ):
            earners += subjects
            unnamed = unnamed or not subjects  # "做活的 就是我大姑娘": who follows
        elif idle and not subjects:
            nobody = True
        elif unnamed and named and not idle and not earners:
            earners += named  # "干活的 就是我儿子": the one named next
    if earners or unnamed:
        return sorted(dict.fromkeys(earners or ["self"]))  # "self" is the resident
    if nobody or has(reply, groups["not_working"]):
        return False
    said_ = yes_no(text)
    return said_ if said_ is not None else None


# "没人做", "莫得哪个在做工": nobody, said first.
# Nobody, said first (after a time or place: "现在屋头没得人上班").
_NOBODY = ("没人", "没有人", "没得人", "莫得人", "没哪个", "没有哪个", "没得哪个", "莫得哪个", "冇得哪个")
# "一个干活的都没有", "挣钱的人也莫得": nobody, however the earners are named.
_NO_EARNER = re.compile(
    r"(?:干活|做活|做事|挣钱|上班|打工|做工)的(?:人)?(?:一个)?(?:都|也)?(?:没有|没得|莫得|没)"
)
# "莫得一个能做活计的", "没有人能干活", "哪个都没上班": nobody who works, the no-word before the work.
_NONE_BEFORE = re.compile(r"(?:没有|没得|莫得|冇得|没)(?:一个|哪个)?(?:人)?(?:能|会|可以|在)?$")
_ANYONE_NOT = ("哪个都没", "哪个也没", "谁都没", "一个都没", "一个也没", "个个都没")


def _none_can(clause: str, working: tuple[str, ...]) -> bool:
    if clause.startswith(_ANYONE_NOT):
        return True
    return any(w in clause and _NONE_BEFORE.search(clause[: clause.find(w)]) for w in working)


def _topic_only(clause: str, groups: dict[str, tuple[str, ...]], after: list[str]) -> bool:
    """A clause that is only a work word ("干活", "做活嘛") before one saying nobody can: the
    question's subject repeated, not someone working."""
    bare = clause.strip("嘛呢啊哦么噻撒")
    return bare in groups["working"] and any(has(a, groups["not_working"]) for a in after)


# Not working now, said after the work ("现在" is "今" here), or the work said not to count.
_STOPPED_NOW = re.compile(
    r"今\S{0,2}(?:没|不|莫得|没得)(?:做|干|上班|打工)|(?:没|莫得|没得|不)(?:做|干)了|停了"
    r"|(?<!算)不算(?:做工|做活|干活|打工|上班|工作)"
)
_PAST = re.compile(r"以前|原来|原先|过去|早先|之前|前些年|前几年|年轻时|年轻的时候|那些年")


def _first_of(text: str, words: tuple[str, ...]) -> str:
    return min((w for w in words if w in text), key=text.find, default="")
