"""Corrections at any later step: "不对 是八百 我刚才说多了", "刚才说错了 老伴不是六十八 是七十".

Why: residents notice a mistake a question or two later, when the bot reads back what it noted.
The corrected value is tried against the answers already given, most recent first (the answers
about the household first when it names a member and no money); the first one whose answer kind
reads it is changed (a household is merged, not replaced: "老伴是七十" changes
the spouse's age and keeps the children). A bare "不对 没有" answers the current question instead.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.dialogs.answers import vocabulary as words
from bot.dialogs.answers.members_people import ages_in
from bot.dialogs.answers.members_words import mentions
from bot.dialogs.answers.money_heard import MONEY_UNIT
from bot.dialogs.answers.money_words import amount_words
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.base import Context
from bot.dialogs.screening_household import TOGETHER
from bot.dialogs.screening_needs import SEVERAL
from bot.dialogs.screening_questions import questionnaire

if TYPE_CHECKING:
    from bot.dialogs.screening import ScreeningFlow

SHORT = 4  # "不对 没有": a yes/no this short answers the question being asked


def apply_correction(flow: ScreeningFlow, ctx: Context, step: str, text: str) -> str | None:
    """The step whose answer the reply corrects (already changed), or None if it corrects nothing."""
    rest = words.correction(text)
    if rest is None or (words.yes_no(rest) is not None and len(words.said(rest)) <= SHORT):
        return None
    before = words.said_before_correction(text)
    if before and words.yes_no(before) is not None and len(before) <= SHORT:
        before = None  # "哦 对了 刚才说错了 …": a filler before the correction, no answer to this step
    if before and questionnaire().is_question(step) and _answers_step(flow, ctx, step, before):
        return None  # "八百 不对 是六百": the reply corrects itself, read as this step's answer
    answers = flow._answers(ctx)
    order = list(reversed(ctx.state.data.get("order", [])))
    about = _about(rest)
    if about is not None:  # "老伴不是五十三 是五十六": the household's ages before any amount
        order.sort(key=lambda s: questionnaire().is_question(s)
                   and (questionnaire().question(s)[0].kind_name in PEOPLE) != about)
    for previous in order:
        if previous == step or previous not in answers or not questionnaire().is_question(previous):
            continue
        question, _ = questionnaire().question(previous)
        ask = flow._ask(ctx, previous)
        if previous in SEVERAL:  # "公公是七十四": any of the members asked about together
            draft = flow._draft(ctx)
            ask = replace(
                ask,
                members=tuple(
                    (int(i), draft.members[int(i)].relation, draft.members[int(i)].word, None)
                    for i in answers[previous] or {}
                    if int(i) < len(draft.members)
                ),
            )
        parsed = question.kind.parse(rest, ask)
        if parsed is None or parsed.value is None or parsed.problem is not None:
            continue
        value = parsed.value
        if question.kind_name == "members" and isinstance(answers[previous], dict):
            value = merge_household(answers[previous], value)
        elif (previous in SEVERAL or previous in TOGETHER) and isinstance(answers[previous], dict):
            value = {**answers[previous], **value}
        answers[previous] = value
        flow._mark(ctx, previous)
        return previous
    return None


PEOPLE = frozenset({"members", "ages", "age"})  # answer kinds about who lives here and how old


def _about(text: str) -> bool | None:
    """True for a correction of an age: it names a member and an age, no money ("老伴不是五十三 是五十六");
    False for one about money (一个月, 块, 收入 …); None when it says neither (我家就一间 … 我兄弟家的)."""
    reply = heard(text)
    money = (*MONEY_UNIT, *(w for words in amount_words()["periods"].values() for w in words), "钱", "收入")
    if any(w in reply for w in money):
        return False
    return True if mentions(reply) and len(ages_in(reply)) >= 1 and not _THINGS.search(reply) else None


_THINGS = re.compile(r"[一二两三四五六七八九十\d]+(?:间|处|套|亩|辆|头|只)")


def merge_household(before: dict[str, Any], fix: dict[str, Any]) -> dict[str, Any]:
    """The household with a correction applied: named members updated or added, gone ones moved."""
    members = [dict(m) for m in before.get("members", [])]
    gone = [dict(g) for g in before.get("gone", [])]
    for person in fix.get("members", []):
        same = next(
            (
                m
                for m in members
                if m["relation"] == person["relation"]
                and (m["word"] == person["word"] or m.get("age") is None or person.get("age") is not None)
            ),
            None,
        )
        if same is None:
            members.append(dict(person))
        elif person.get("age") is not None:
            same["age"] = person["age"]
    for person in fix.get("gone", []):
        same = next((m for m in members if m["relation"] == person["relation"]), None)
        if same is not None:
            members.remove(same)
        if not any(g["relation"] == person["relation"] and g["why"] == person["why"] for g in gone):
            gone.append(dict(person))
    merged = {**before, "members": members, "gone": gone}
    return merged


def _answers_step(flow: ScreeningFlow, ctx: Context, step: str, text: str) -> bool:
    question, _ = questionnaire().question(step)
    parsed = question.kind.parse(text, flow._ask(ctx, step))
    return parsed is not None and parsed.problem is None and parsed.value is not None
