"""Who earns and what the household keeps a month, in one reply: "我和老伴种甘蔗 一个月四百多".

Why: a caseworker asks "家里谁在挣钱？一个月能落下多少？" in one breath, and residents answer
both in one message, who first. The reply is cut at the first clause that holds an amount of
money (a count of people, "我和老倌两个", is not one), or before it where the money's sources
come without anyone named ("公公做不动 种地打零工 一个月一千五"). What comes before says who
earns; what comes from the cut on is read as the month's income by the monthly amount kind
(ranges, a year's figure, a count of people beside an amount, a read-back when converted); after
who earns, a bare none that is not about work is no income ("都没干活 一分都没有"). A
reply with no amount says only who earns, and the income is asked on its own; a part the reply
does not touch stays open for its own question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.dialogs.answers.facts import read_work
from bot.dialogs.answers.facts_words import fact_words, has
from bot.dialogs.answers.kinds_base import Ask, Parsed
from bot.dialogs.answers.money import Problem, read_amount
from bot.dialogs.answers.pinyin import heard

_CLAUSE = re.compile(r"[\s，,。；;、]+")


def read_earnings(text: str, ask: Ask, income: Callable[[str, Ask], Parsed | None]) -> Parsed | None:
    """Parsed({work?: ..., income?: amount}) for the parts said; `income` reads the amount part."""
    clauses = [c for c in _CLAUSE.split(heard(text)) if c]
    cut = next((i for i, c in enumerate(clauses) if _money(c, i, ask)), len(clauses))
    while (
        1 < cut < len(clauses)
        and not _names_someone(clauses[cut - 1])
        and read_work(" ".join(clauses[: cut - 1])) is not None
    ):
        cut -= 1  # "公公做不动 | 种地打零工 一个月一千五": where the money comes from, not 公公's work
    found: dict[str, Any] = {}
    work = read_work(" ".join(clauses[:cut] or clauses[:1]))
    if work is not None and (cut or isinstance(work, list)):  # "儿子打工一个月两千": one clause
        found["work"] = work
    readback = problem = None
    if cut < len(clauses):
        parsed = income(" ".join(clauses[cut:]), ask)
        if parsed is not None and parsed.problem is None and parsed.value is not None:
            found["income"] = parsed.value
            readback = parsed.readback
        elif parsed is not None:
            problem = parsed.problem  # a pasted ID for an amount: "太长", not "没看懂"
    if not found:
        return Parsed(None, problem=problem) if problem else None
    return Parsed(found, readback=readback, part="income" if readback else None)


def _names_someone(clause: str) -> bool:
    from bot.dialogs.answers.members_words import mentions

    return "我" in clause or bool(mentions(clause))


def _money(clause: str, index: int, ask: Ask) -> bool:
    """An amount, or after who earns a bare none that is not about work ("一分都没有", not "我没有工作")."""
    amount = read_amount(clause, "month", ask.size)
    if isinstance(amount, Problem):
        return True
    if amount is None:
        return False
    work = fact_words()["work"]
    about_work = has(clause, work["working"]) or has(clause, work["not_working"])
    return amount.high > 0 or (index > 0 and not about_work)
