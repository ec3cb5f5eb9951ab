"""Which questions apply to this household, and the household the answers describe.

Why: the resident should be asked only what can change the result (no disability details when
nobody is disabled, no parents' questions for a child living with both healthy parents …). The
stored answers (plain JSON keyed by step id) are replayed in question order each turn: `walk`
gives the ordered list of questions that apply and the `/api/v1/screen` request they amount to.
Because everything is recomputed from the answers, `返回`, `修改` and skipped questions never
leave stale facts behind: an answer counts only while its question still applies. Whether the
supporter and already-receiving questions apply is asked of the rules (`open_inputs`), so a rule
change cannot make the questionnaire skip a question that matters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.dialogs.screening_questions import Question, questionnaire
from bot.rules import open_inputs
from bot.rules.context import Context as RulesContext
from bot.rules.household import Household
from bot.rules.parameters import load_parameters

# -- the household as answered so far ----------------------------------------------------------


@dataclass
class Draft:
    """What the answers say so far; `request()` is the /api/v1/screen request shape."""

    as_of: date
    request: dict[str, Any] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=lambda: [{"relation": "applicant", "age": None}])
    flags: set[str] = field(default_factory=set)
    disabled: list[int] = field(default_factory=list)
    cards_known: bool = False  # the health question (and who holds a card) answered
    ill: list[int] | None = field(default_factory=list)  # None: unknown
    employed: list[int] | None = field(default_factory=list)  # None: unknown
    workers: list[int] = field(default_factory=list)
    income: float | None = None  # None until answered (or skipped)

    def request_shape(self) -> dict[str, Any]:
        members = []
        earners = self.employed or [0]
        share = None if self.income is None else round(self.income / len(earners), 2)
        for index, member in enumerate(self.members):
            out = {k: v for k, v in member.items() if k != "word"}
            if index in self.disabled and out.get("disability_type") is None:
                out["disability_type"] = "unknown"  # said to hold a card; type skipped
            out["serious_illness"] = None if self.ill is None else index in self.ill
            out["disability_card"] = (index in self.disabled) if self.cards_known else None
            if self.employed is None:
                out["employed"] = None if index in self.workers else False
            else:
                out["employed"] = index in self.employed
            out["monthly_income"] = share if index in earners else 0
            members.append(out)
        return {**self.request, "members": members}

    def household(self) -> Household:
        return Household.from_dict(self.request_shape())

    def rules(self) -> RulesContext:
        return RulesContext(self.household(), self.as_of, load_parameters())

    def param(self, name: str, default: int) -> int:
        found = load_parameters().lookup(name, self.as_of)
        return default if found is None or found.value is None else int(found.value)

    def who(self, index: int) -> str:
        shown = questionnaire().display
        if index == 0:
            return shown["self"]
        member = self.members[index]
        if member.get("age") is None:
            return shown["member"].format(word=member["word"])
        return shown["member_age"].format(word=member["word"], age=member["age"])

    def healthy(self, index: int) -> bool:
        return index not in self.disabled and (self.ill is None or index not in self.ill)


# -- when a question applies ---------------------------------------------------------------------


def _workers(draft: Draft) -> list[int]:
    ctx = draft.rules()
    return [i for i, member in enumerate(ctx.members) if ctx.can_work(member)]


def _open(field: str, programs: frozenset[str]) -> Callable[[Draft], bool]:
    """The rules say some answer to `field` could still change or settle one of `programs`, or
    turn any programme into (or out of) `unlikely`."""
    def holds(draft: Draft) -> bool:
        found = open_inputs(draft.household(), draft.as_of, only={field})
        return any(o.decides or programs & {*o.changes, *o.settles} for o in found)
    return holds


CONDITIONS: dict[str, Callable[[Draft], bool]] = {
    "hukou_yunnan_other": lambda d: d.request.get("hukou") == "yunnan_other",
    "hukou_not_yuanjiang": lambda d: d.request.get("hukou") in ("yunnan_other", "outside_yunnan"),
    "several_members": lambda d: len(d.members) > 1,
    "has_workers": lambda d: bool(_workers(d)),
    # already receiving: asked where it changes 低保 (渐退期) or 特困 (minors kept on to 18), or can
    # make a 专项救助 a "no" (a rise from "possible" to "likely" alone is not worth a question)
    "current_matters": _open("current_programs", frozenset({"dibao", "tekun"})),
    "may_lack_support": _open("supporter", frozenset({"tekun"})),
}


def _holds(condition: str, draft: Draft) -> bool:
    if condition.startswith("flag:"):
        return condition.removeprefix("flag:") in draft.flags
    return CONDITIONS[condition](draft)


def _minors(draft: Draft) -> tuple[list[int], list[int]]:
    """Children whose parents need asking: (both parents, only the parent not in the household).

    A child of the resident whose other parent (the spouse) lives with them, both healthy, has
    parents able to care for them; nothing is asked then.
    """
    limit = draft.param("guer.age_limit", 18)
    spouse = next((i for i, m in enumerate(draft.members) if m["relation"] == "spouse"), None)
    both, other = [], []
    for index, member in enumerate(draft.members):
        if member.get("age") is None or member["age"] >= limit:
            continue
        if member["relation"] == "child" and draft.healthy(0):
            if spouse is None:
                other.append(index)
            elif not draft.healthy(spouse):
                both.append(index)
        else:
            both.append(index)
    return both, other


def _per(name: str, draft: Draft) -> list[int]:
    if name == "disabled":
        return list(draft.disabled)
    if name == "school_age":
        low, high = questionnaire().ages["school_from"], questionnaire().ages["school_to"]
        ages = [m.get("age") for m in draft.members]
        return [i for i, age in enumerate(ages) if age is not None and low <= age <= high]
    both, other = _minors(draft)
    return {"parents_unclear": both, "other_parent_unclear": other}[name]


# -- applying answers ----------------------------------------------------------------------------


def _fill(question: Question, member: int | None, value: Any, draft: Draft) -> None:
    if isinstance(value, dict):
        draft.request.update(value)
        return
    for name in question.fills:
        if name == "member.monthly_income":
            draft.income = value
        elif name.startswith("member."):
            draft.members[member or 0][name.removeprefix("member.")] = value
        else:
            draft.request[name] = value


def _apply_multi(question: Question, chosen: list[int] | None, draft: Draft) -> None:
    if chosen is None:
        for name in question.fills:
            if name == "member.serious_illness":
                draft.ill = None
            elif not name.startswith("member."):
                draft.request[name] = None
        return
    for index, choice in enumerate(question.choices):
        if index not in chosen:
            for name, value in choice.unset.items():
                draft.request[name] = list(value) if isinstance(value, list) else value
    for index in chosen:
        choice = question.choices[index]
        if choice.flag:
            draft.flags.add(choice.flag)
        for name, value in choice.sets.items():
            if name == "current_programs":
                draft.request.setdefault(name, []).append(value)
            else:
                draft.request[name] = value
    if "member.serious_illness" in question.fills:
        draft.cards_known = True
        single = len(draft.members) == 1
        draft.disabled = [0] if single and "disability" in draft.flags else []
        draft.ill = ([0] if single else None) if "illness" in draft.flags else []


def apply(question: Question, member: int | None, answer: Any, draft: Draft) -> None:
    kind = question.kind
    if kind == "multi":
        _apply_multi(question, answer, draft)
    elif kind == "members" and "member.serious_illness" in question.fills:
        draft.ill = answer
    elif kind == "members":
        draft.disabled = list(answer or [])
        draft.cards_known = answer is not None
    elif kind == "workers":
        draft.employed = answer
    elif kind == "choice":
        _fill(question, member, None if answer is None else question.choices[answer].value, draft)
    else:
        _fill(question, member, answer, draft)


@dataclass
class Walk:
    steps: list[str]
    draft: Draft


def walk(answers: Mapping[str, Any], as_of: date) -> Walk:
    """The questions that apply, in order, given the answers so far, and the household they give."""
    draft, steps = Draft(as_of), []
    questions = list(questionnaire().questions)
    position = 0
    while position < len(questions):
        question = questions[position]
        if question.per in ("added", "age_missing"):  # asked inside the member loop
            if question.per == "added":
                _walk_members(question, answers, draft, steps)
            position += 1
            continue
        group = [question]
        while question.per and position + len(group) < len(questions) \
                and questions[position + len(group)].per == question.per:
            group.append(questions[position + len(group)])
        position += len(group)
        if not all(_holds(c, draft) for c in question.when):
            continue
        if question.kind == "workers":
            draft.workers = _workers(draft)
        for member in _per(question.per, draft) if question.per else [None]:
            for asked in group:
                step = asked.id if member is None else f"{asked.id}:{member}"
                steps.append(step)
                if step in answers:
                    apply(asked, member, answers[step], draft)
    return Walk(steps, draft)


def _walk_members(question: Question, answers: Mapping[str, Any], draft: Draft, steps: list[str]) -> None:
    age_question = next(q for q in questionnaire().questions if q.per == "age_missing")
    index = 1
    while True:
        step = f"{question.id}:{index}"
        steps.append(step)
        answer = answers.get(step)
        if not isinstance(answer, dict):
            return
        draft.members.append({"relation": answer["relation"], "word": answer["word"], "age": answer["age"]})
        if answer["age"] is None:
            age_step = f"{age_question.id}:{index}"
            steps.append(age_step)
            if age_step in answers:
                draft.members[index]["age"] = answers[age_step]
        index += 1
