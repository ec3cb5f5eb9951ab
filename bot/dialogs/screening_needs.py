"""Which question comes next: of those that apply to this household, are not answered yet and
whose answer could still change a result, the framing questions first (in the questionnaire's
order), then the one whose open inputs the rules rank first (`bot.rules.inputs.rank`).

Why: the resident should be asked only what matters, and the rules alone decide what matters.
Nothing of the rules is copied here (ages, grades, support duties): each question names the
rules' inputs it fills (`FIELDS`), and it is asked only while `bot.rules.open_inputs` lists one of
them as open for the household as answered so far. A rule change therefore changes the questions
by itself. Questions that frame the household (where, who, how old, health) are always asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from bot.dialogs.screening_household import PART_OF, TOGETHER, Draft, build
from bot.dialogs.screening_questions import questionnaire
from bot.rules import Household, open_inputs, screen
from bot.rules.criteria import Status
from bot.rules.inputs import floor, rank
from bot.rules.parameters import load_parameters

ALWAYS = frozenset({"place", "age", "household", "health", "disabled_who", "ill_who", "ages"})
FOLLOW_UP = {"permit": "place"}  # asked straight after the answer it follows up, when it matters


def _amount(low: float, high: float | None = None) -> dict[str, Any]:
    return {"low": low, "high": low if high is None else high, "excluded": [], "approx": False}


def _line(draft: Draft) -> float:
    found = load_parameters().lookup("dibao.rural_monthly", draft.as_of)
    return float(found.value) if found is not None and found.value is not None else 560.0


# The rules' inputs each question fills (field names, or per member `members[i].field`).
FIELDS: dict[str, tuple[str, ...]] = {
    "place": ("hukou", "area"),
    "permit": ("residence_permit_years",),
    "member_age": ("age",),
    "disability_type": ("disability_type", "disability_grade"),
    "disability_grade": ("disability_grade", "disability_type"),
    "illness": ("serious_illness",),
    "school": ("in_school",),
    "parents": ("father", "mother"),
    "work": ("employed",),
    "income": ("monthly_income", "incomes"),
    "pension": (),  # the income question counts a retired worker's pension already
    "current": ("current_programs",),
    "supporters": ("supporter", "children_elsewhere", "grandchildren_elsewhere"),
    "savings": ("financial_assets",),
    "house": ("homes", "housing"),
    "car": ("vehicle_over_50k_bought_12m", "non_residential_property"),
    "emergency": ("disaster_affected", "sudden_hardship", "legal_issue"),
    "medical_spending": ("rigid_expense_monthly",),
}
PER_MEMBER = frozenset({"member_age", "disability_type", "disability_grade", "illness", "school", "parents"})


# While a question is tried, the questions not answered yet are taken as the common case of the
# households this service is for (poor, ordinary), so that a question is not skipped only because
# another one it works with (savings with houses and cars) is still open.
BENIGN: dict[str, Callable[[Draft], Any]] = {
    "permit": lambda d: 0.0,
    "member_age": lambda d: 30,
    "disability_type": lambda d: "physical",
    "disability_grade": lambda d: 4,
    "illness": lambda d: {"serious": False},
    "school": lambda d: "none",
    "parents": lambda d: {"father": "able", "mother": "able"},
    "work": lambda d: False,
    "income": lambda d: _amount(round(_line(d) * len(d.members) * 0.5)),
    "pension": lambda d: {"kind": "none", "monthly": None},
    "current": lambda d: [],
    "supporters": lambda d: {"exists": False, "can_support": None},
    "savings": lambda d: _amount(0),
    "house": lambda d: {"count": 1, "condition": None},
    "car": lambda d: {"car": False, "business": False},
    "emergency": lambda d: [],
    "medical_spending": lambda d: _amount(0),
}


def steps(draft: Draft) -> list[str]:
    """Every step that applies to this household, in order (answered or not)."""
    found: list[str] = []
    health = draft.get("health") or {}
    many = len(draft.members) > 1
    for question in questionnaire().questions:
        qid = question.id
        if qid == "permit" and (draft.get("place") or {}).get("hukou") != "yunnan_other":
            continue
        if qid == "disabled_who" and not (health.get("disability") and many):
            continue
        if qid == "ill_who" and not ((health.get("illness") or health.get("ill_unclear")) and many):
            continue
        if qid in SEVERAL:
            if qid in draft.answers or len(several(qid, draft)) > 1:
                found.append(qid)
            continue
        if qid in TOGETHER:
            found.append(qid)
            continue
        if qid in PART_OF and PART_OF[qid] not in draft.answers:
            continue  # asked together first
        if question.per is None:
            found.append(qid)
            continue
        members = _per(question.per, draft)
        if (
            SINGLE_OF.get(qid) in SEVERAL
            and len(several(SINGLE_OF[qid], draft)) > 1
            and SINGLE_OF[qid] not in draft.answers
        ):
            continue  # asked together first
        if SINGLE_OF.get(qid) in draft.answers:
            done = draft.answers[SINGLE_OF[qid]] or {}
            members = [i for i in members if str(i) not in done or (done[str(i)] is None and qid == "school")]
        found += [f"{qid}:{i}" for i in members]
    return found


# Questions asked once for several members, and the per-member question each stands for.
SEVERAL = {"ages": "no_age", "schools": "school_age"}
SINGLE_OF = {"member_age": "ages", "school": "schools"}
SINGLE = {"ages": "member_age", "schools": "school"}


def several(qid: str, draft: Draft) -> list[int]:
    """The members a together-question is about."""
    return _per(SEVERAL[qid], draft)


def _per(name: str, draft: Draft) -> list[int]:
    people = list(enumerate(draft.members))
    if name == "no_age":
        return [i for i, p in people if i and p.age is None]
    if name == "disabled":
        return [i for i, p in people if p.disabled]
    if name == "ill_unclear":
        return [i for i, p in people if p.ill_unclear]
    if name == "school_age":
        return draft.school_age()
    if name == "parents_unclear":
        return draft.minors_without_parents()
    raise ValueError(name)


def next_step(answers: Mapping[str, Any], as_of: date) -> str | None:
    """The next question to ask, or None when nothing left could change the result. The questions
    that frame the household come first, in the questionnaire's order; then, of those whose answer
    could change a result, the one whose best open input the rules rank first (inputs of the likely
    programmes, 特困 and 低保 first, status-changing before settling), ties in questionnaire order."""
    draft = build(answers, as_of)
    open_steps = [s for s in steps(draft) if s not in draft.answers]
    for step in open_steps:  # the framing questions, and a follow-up of the one just answered
        if step in ALWAYS:
            return step
        if step in FOLLOW_UP and FOLLOW_UP[step] in draft.answers and matters(
            {**answers, **_common(open_steps, draft, but=step)}, step, as_of
        ):
            return step
    household = Household.from_dict(build({**answers, **_common(open_steps, draft)}, as_of).request())
    expected = {r.program: r.status for r in screen(household, as_of).results}
    # A question that reaches the best that any can (`floor`) is chosen: those after it can only tie.
    asked = {TOGETHER.get(s, (SINGLE.get(s, s),)) for s in open_steps}
    best = floor(expected) if all(p.partition(":")[0] in FIELDS for parts in asked for p in parts) else None
    ranked: list[tuple[tuple[int, ...], str]] = []
    for order, step in enumerate(open_steps):
        others = {
            s: BENIGN[s.partition(":")[0]](draft)
            for s in open_steps
            if s != step and s.partition(":")[0] in BENIGN
        }
        if step in SEVERAL:
            tries = [({**answers, **others}, f"{SINGLE[step]}:{i}") for i in several(step, draft)]
        elif step in TOGETHER:
            parts = TOGETHER[step]
            rest = {k: v for k, v in others.items() if k not in parts}
            tries = [({**answers, **rest, **{o: BENIGN[o](draft) for o in parts if o != p}}, p)
                     for p in parts]
        else:
            tries = [({**answers, **others}, step)]
        found = [r for a, s in tries if (r := need(a, s, as_of, expected, household)) is not None]
        if found:
            ranked.append(((*min(found), order), step))
            if min(found) == best:
                break
    if ranked:
        return min(ranked)[1]
    for step in open_steps:  # with everything else known: is there still one whose answer decides?
        if step in SEVERAL or step in TOGETHER:
            continue
        if matters({**answers, **assumed(answers, as_of, skip=step)}, step, as_of):
            return step
    return None


def _common(open_steps: list[str], draft: Draft, but: str | None = None) -> dict[str, Any]:
    """Every open question's common answer (`BENIGN`), the parts of together-questions too."""
    return {
        **{part: BENIGN[part](draft) for s in open_steps for part in TOGETHER.get(s, ())},
        **{s: BENIGN[s.partition(":")[0]](draft) for s in open_steps if s.partition(":")[0] in BENIGN},
    } if but is None else {k: v for k, v in _common(open_steps, draft).items() if k != but}


def assumed(answers: Mapping[str, Any], as_of: date, skip: str | None = None) -> dict[str, Any]:
    """Values for the questions not asked because no answer to them changes the result (the rules
    list none of their inputs as open): the common answer stands in, never shown as an answer."""
    draft = build(answers, as_of)
    found: dict[str, Any] = {}
    for step in steps(draft):
        topic = step.partition(":")[0]
        if (
            step in draft.answers
            or step == skip
            or topic not in BENIGN
            or step in SEVERAL
            or step in TOGETHER
        ):
            continue
        found[step] = BENIGN[topic](draft)
    return found


def result_request(answers: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    """The rules' request the result is computed from: the answers, and for the questions left out
    because they cannot change it, any of their answers (`assumed`)."""
    return build({**answers, **assumed(answers, as_of)}, as_of).request()


def matters(answers: Mapping[str, Any], step: str, as_of: date) -> bool:
    """Whether the rules still have an open input this question fills (`bot.rules.open_inputs`):
    some answer to it would change a programme's status or settle one of its checks."""
    return need(answers, step, as_of) is not None


def need(answers: Mapping[str, Any], step: str, as_of: date, expected: Mapping[str, Status] | None = None,
         like: Household | None = None) -> tuple[int, int] | None:
    """How useful the question is, or None when no answer to it could change anything: the best
    rank (`bot.rules.inputs.rank`, by the `expected` statuses, else the household's own) of the
    open inputs it fills, without "changes a status before settles a check" (a question filling
    several inputs, like the household's income shared among earners, changes a status only when
    they are all answered, while `open_inputs` tries one at a time). A question that fills no input
    of the rules ranks first. `like`: the household of common answers, whose evaluation the rules
    reuse for this one (`open_inputs(like=…)`)."""
    topic, _, index = step.partition(":")
    fields = FIELDS.get(topic)
    if fields is None:
        return (-3, 0)
    if not fields:
        return None
    paths = (
        frozenset(f"members[{index}].{f}" for f in fields)
        if topic in PER_MEMBER and index
        else frozenset(fields)
    )
    household = Household.from_dict(build(answers, as_of).request())
    found = open_inputs(household, as_of, only=paths, like=like)
    if not found:
        return None
    statuses = expected or {r.program: r.status for r in screen(household, as_of).results}
    return min(rank(item, statuses)[:2] for item in found)


def statuses(answers: Mapping[str, Any], as_of: date) -> tuple[str, ...]:
    return _statuses(_freeze(build(answers, as_of).request()), as_of)


@lru_cache(maxsize=4096)
def _statuses(request: Any, as_of: date) -> tuple[str, ...]:
    result = screen(Household.from_dict(_thaw(request)), as_of)
    return tuple(r.status.value for r in result.results)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__", *(_freeze(v) for v in value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "__list__":
        return [_thaw(v) for v in value[1:]]
    if isinstance(value, tuple):
        return {k: _thaw(v) for k, v in value}
    return value
