"""The questionnaire's logic over its data: which questions apply, and what the answers mean.

Why: the questions live in `screening.yaml`; this module turns the stored answers (plain JSON keyed
by step id) into the ordered list of questions that apply to *this* household (`walk`) and into
the `/api/v1/screen` request shape the rules read. Everything is recomputed from the answers each
turn, so `返回`, `修改` and skipped questions never leave stale facts behind: an answer counts only
while its question still applies.

Answers are stored as: choice → option index; multi/members/workers → list of indices;
numbers → float; member → {"relation", "word", "age"} or "done"; skipped → None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs import answers as parse
from bot.dialogs.choices import pick
from bot.rules.context import Context as RulesContext
from bot.rules.context import Position
from bot.rules.criteria import Outcome
from bot.rules.household import Household
from bot.rules.parameters import load_parameters
from bot.rules.tekun import SUPPORT_RELATIONS

QUESTIONS_PATH = Path(__file__).with_name("screening.yaml")
DONE = "done"


class NotAnAnswer(Exception):
    """The reply does not answer the question (the flow re-asks with a hint)."""


@dataclass(frozen=True)
class Choice:
    label: str
    words: tuple[str, ...]
    value: Any = None
    sets: Mapping[str, Any] = field(default_factory=dict)
    flag: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    hint: str
    why: str
    label: str
    fills: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    when: tuple[str, ...] = ()
    per: str | None = None
    prompt_more: str = ""
    prompt_several: str = ""
    footer: str = ""

    @property
    def aliases(self) -> list[tuple[str, ...]]:
        return [choice.words for choice in self.choices]


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[Question, ...]
    relations: tuple[Choice, ...]  # value = relation id
    display: Mapping[str, str]
    ages: Mapping[str, int]
    words: Mapping[str, tuple[str, ...]]

    def question(self, step: str) -> tuple[Question, int | None]:
        """The question a step id asks and the member it is about (`school:2` → school, 2)."""
        qid, _, index = step.partition(":")
        question = next(q for q in self.questions if q.id == qid)
        return question, int(index) if index else None

    def is_question(self, step: str) -> bool:
        return any(q.id == step.partition(":")[0] for q in self.questions)

    def says(self, kind: str, text: str) -> bool:
        return parse.clean(text) in self.words[kind]

    @property
    def relation_words(self) -> dict[str, str]:
        return {word: r.value for r in self.relations for word in r.words}


def _choice(raw: Mapping[str, Any]) -> Choice:
    words = tuple(parse.clean(str(w)) for w in raw.get("words", ()))
    return Choice(str(raw["label"]), words, raw.get("value"), raw.get("sets") or {}, raw.get("flag"))


def _listed(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,) if value else ()


@lru_cache(maxsize=1)
def questionnaire() -> Questionnaire:
    raw = yaml.safe_load(QUESTIONS_PATH.read_text(encoding="utf-8"))
    questions = tuple(
        Question(
            id=q["id"], kind=q["kind"], prompt=q["prompt"], hint=q["hint"], why=q["why"], label=q["label"],
            fills=_listed(q.get("fills")), choices=tuple(_choice(c) for c in q.get("choices", ())),
            when=_listed(q.get("when")), per=q.get("per"), prompt_more=q.get("prompt_more", ""),
            prompt_several=q.get("prompt_several", ""), footer=q.get("footer", ""),
        )
        for q in raw["questions"]
    )
    relations = tuple(
        Choice(r["label"], tuple(parse.clean(w) for w in r["words"]), r["id"]) for r in raw["relations"]
    )
    words = {kind: tuple(parse.clean(str(w)) for w in values) for kind, values in raw["words"].items()}
    return Questionnaire(questions, relations, raw["display"], raw["ages"], words)


# -- the household as answered so far ----------------------------------------------------------


@dataclass
class Draft:
    """What the answers say so far; `request()` is the /api/v1/screen request shape."""

    as_of: date
    request: dict[str, Any] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=lambda: [{"relation": "applicant", "age": None}])
    flags: set[str] = field(default_factory=set)
    disabled: list[int] = field(default_factory=list)
    ill: list[int] | None = field(default_factory=list)  # None: unknown
    employed: list[int] | None = field(default_factory=list)  # None: unknown
    workers: list[int] = field(default_factory=list)
    income: float | None = 0.0

    def request_shape(self) -> dict[str, Any]:
        members = []
        earners = self.employed or [0]
        share = None if self.income is None else round(self.income / len(earners), 2)
        for index, member in enumerate(self.members):
            out = {k: v for k, v in member.items() if k != "word"}
            out["serious_illness"] = None if self.ill is None else index in self.ill
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


def _current_matters(draft: Draft) -> bool:
    """Receiving 低保/特困 now changes the result: income not clearly below the line (渐退期), or
    a minor whose 特困 support continues past the age test (item 1)."""
    ctx = draft.rules()
    if ctx.compare(ctx.income, ctx.standard) is not Position.BELOW:
        return True
    low = draft.param("tekun.minor_age_limit", 16)
    high = draft.param("tekun.minor_support_until", 18)
    return any(m.age is not None and low <= m.age < high for m in ctx.members)


def _may_lack_support(draft: Draft) -> bool:
    """Someone may qualify for 特困 and no able adult in the household has a duty to support them."""
    ctx = draft.rules()
    adult = draft.param("tekun.minor_support_until", 18)
    for candidate in ctx.members:
        if ctx.lacks_work_ability(candidate).outcome is Outcome.FAILED:
            continue
        others = [m for m in ctx.members if m is not candidate]
        if any(m.relation in SUPPORT_RELATIONS and m.age is not None and m.age >= adult and ctx.can_work(m)
               for m in others):
            continue
        return True
    return False


CONDITIONS: dict[str, Callable[[Draft], bool]] = {
    "hukou_yunnan_other": lambda d: d.request.get("hukou") == "yunnan_other",
    "several_members": lambda d: len(d.members) > 1,
    "has_workers": lambda d: bool(_workers(d)),
    "current_matters": _current_matters,
    "may_lack_support": _may_lack_support,
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
        return [i for i, m in enumerate(draft.members) if m.get("age") is not None and low <= m["age"] <= high]
    both, other = _minors(draft)
    return both if name == "parents_unclear" else other


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


# -- understanding a reply -----------------------------------------------------------------------


def options(question: Question, member: int | None, draft: Draft) -> list[str]:
    """The numbered options shown with a question."""
    if question.kind == "member":
        return [r.label for r in questionnaire().relations]
    if question.kind == "members":
        return [draft.who(i) for i in range(len(draft.members))]
    if question.kind == "workers":
        return [draft.who(i) for i in draft.workers] if len(draft.workers) > 1 else []
    return [c.label for c in question.choices]


def understand(question: Question, member: int | None, text: str, draft: Draft) -> Any:
    """The answer to store, or NotAnAnswer. `跳过`/`不知道` are handled by the caller."""
    kind, labels = question.kind, options(question, member, draft)
    if kind == "choice":
        found: Any = parse.parse_choice(text, labels, question.aliases)
    elif kind == "multi":
        found = parse.parse_multi(text, labels, question.aliases)
    elif kind == "members" or (kind == "workers" and labels):
        chosen = parse.parse_multi(text, labels)
        found = None if chosen is None else [draft.workers[i] for i in chosen] if kind == "workers" else chosen
    elif kind == "workers":
        said = parse.parse_yes_no(text)
        found = None if said is None else draft.workers if said else []
    elif kind == "member":
        found = _member(text, labels)
    else:
        found = _number(kind, text)
    if found is None:
        raise NotAnAnswer
    return found


def _member(text: str, labels: list[str]) -> dict[str, Any] | str | None:
    if parse.is_done(text):
        return DONE
    said = parse.parse_member(text, questionnaire().relation_words)
    if said is None:
        index = pick(text, labels)
        if index is None:
            return None
        relation = questionnaire().relations[index]
        said = (relation.value, relation.words[0], None)
    relation, word, age = said
    return {"relation": relation, "word": word, "age": age}


def _number(kind: str, text: str) -> float | int | None:
    if kind in ("money", "monthly_money"):
        return parse.parse_money(text, monthly=kind == "monthly_money")
    if kind == "age":
        return parse.parse_whole(text, 0, 120)
    if kind == "count":
        return parse.parse_whole(text, 0, 20, none_is_zero=True)
    return parse.parse_years(text)
