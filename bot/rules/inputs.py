"""Which unanswered questions could still change a result ("open inputs"), most useful first.

Why: the questionnaire should ask only what can change a result, and a rule change must never make
it skip a question silently. So nothing here copies the rules' conditions: for each unknown answer
the rules are asked again with every typical answer in its place. An input is open when some
answer would change a programme's status (`changes`), or would settle or reopen one of the checks
of a programme that is still `possible` (`settles`: answers that only make sense together, like
the two parents of a child, are found this way one at a time). An answer the rules never read
while evaluating the household cannot change anything, so only answers they read are tried.

Ranking: inputs of programmes now `likely` first (settle what looks good), then `possible`, then
`unlikely`; among them 特困 and 低保 before the other programmes; then inputs that can change a
status before those that only settle a check; then the order of the household's fields.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from bot.rules.context import Context
from bot.rules.criteria import Status
from bot.rules.household import (
    COSTED_KINDS,
    HOUSEHOLD_DEFAULTS,
    MEMBER_DEFAULTS,
    PROGRAM_IDS,
    Area,
    DisabilityType,
    Household,
    Housing,
    Hukou,
    ParentStatus,
    Schooling,
    Supporter,
)
from bot.rules.parameters import Parameters, load_parameters
from bot.rules.reach import Base, base_of, evaluate_variant, rebase

PRIORITY = ("tekun", "dibao", *(p for p in PROGRAM_IDS if p not in ("tekun", "dibao")))
_RANK = {Status.UNLIKELY: 0, Status.POSSIBLE: 1, Status.LIKELY: 2}
_ENUMS: dict[str, type[StrEnum]] = {
    "hukou": Hukou, "area": Area, "supporter": Supporter, "housing": Housing, "in_school": Schooling,
    "father": ParentStatus, "mother": ParentStatus, "children_elsewhere": Supporter,
    "grandchildren_elsewhere": Supporter, "disability_type": DisabilityType,
}
_BOOLEANS = frozenset({
    "disability_card", "vehicle_over_50k_bought_12m", "non_residential_property", "disaster_affected",
    "sudden_hardship",
    "hardship_beyond_means", "legal_issue", "serious_illness", "employed",
})
_AGE_LIMITS = ("tekun.elderly_age", "tekun.minor_age_limit", "tekun.minor_support_until", "guer.age_limit",
               "jiaoyu.compulsory_age_from", "jiaoyu.compulsory_age_to", "law.adult_age", "school.age_from",
               "school.age_to")
# Multiples of the 低保 line: below, near, above but below the band (1.5 ×), near the band, far above.
_INCOME_STEPS = ("0.5", "1.05", "1.3", "1.6", "10")
# Households whose bases and open inputs are kept. The questionnaire asks about a few dozen
# households a turn (its candidate questions, each left open in one of the resident's answers),
# all within that turn, so a few turns' worth are enough; 1,024 of each held ~17 MB after the rules'
# 205 household cases (tracemalloc) and grew a worker's RSS under the conversations load.
KEPT = 256


@dataclass(frozen=True)
class OpenInput:
    """One unanswered input: `path` in the /api/v1/screen request shape, e.g. `supporter`,
    `members[1].children_elsewhere`, `members[0].incomes[0].costs_monthly`."""

    path: str
    member: int | None
    field: str
    changes: tuple[str, ...]  # programmes whose status some answer would change
    decides: tuple[str, ...]  # … of them, those some answer would move across `unlikely` (either way)
    settles: tuple[str, ...]  # `possible` programmes where some answer would settle a check

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "member": self.member, "field": self.field, "changes": list(self.changes),
                "decides": list(self.decides), "settles": list(self.settles)}


@dataclass(frozen=True)
class _Slot:
    path: str
    member: int | None
    field: str
    item: int | None = None  # index into the member's incomes


class _Bases:
    """The last `KEPT` households' bases (`bot.rules.reach`), by household: one built from a `like`
    household (`rebase`) is the same as one built from scratch, so it is kept by household alone
    and serves later calls without `like` too."""

    def __init__(self, size: int = KEPT) -> None:
        self._found: OrderedDict[tuple[Household, date, Parameters], Base] = OrderedDict()
        self._size = size

    def __call__(self, household: Household, as_of: date, params: Parameters,
                 like: Household | None = None) -> Base:
        key = (household, as_of, params)
        if key in self._found:
            self._found.move_to_end(key)
            return self._found[key]
        if like is None or like == household:
            found = base_of(household, as_of, params)
        else:
            found = rebase(self(like, as_of, params), like, household)
        self._found[key] = found
        if len(self._found) > self._size:
            self._found.popitem(last=False)
        return found

    def cache_clear(self) -> None:
        self._found.clear()


_base = _Bases()


def _unknown_slots(household: Household, ctx: Context, only: frozenset[str] | None) -> Iterator[_Slot]:
    """Answers the rules treat as unknown (not those whose absence has a meaning: no disability
    card, a member's 户籍 the same as the household's, a parent who lives at home …)."""
    for name in HOUSEHOLD_DEFAULTS:
        if getattr(household, name) is None and (only is None or name in only):
            yield _Slot(name, None, name)
    for index, member in enumerate(household.members):
        for name in MEMBER_DEFAULTS:
            value, prefix = getattr(member, name), f"members[{index}]."
            if only is not None and name not in only and prefix + name not in only:
                continue
            if name == "disability_card":
                unknown = member.disabled is None
            elif name == "disability_type":
                graded = member.disability_grade is not None
                unknown = value is DisabilityType.UNKNOWN or (value is None and graded)
            elif name == "disability_grade":
                unknown = value is None and member.disability_type is not None
            elif name == "monthly_income":
                unknown = value is None and member.incomes is None
            elif name in ("father", "mother"):
                unknown = ctx.parents(index)[0 if name == "father" else 1] is None
            elif name in ("children_elsewhere", "grandchildren_elsewhere"):
                unknown = value is None and household.supporter is None
            elif name == "in_school":
                unknown = ctx.at_school(member) is None
            else:  # a member's own 户籍 and `able_to_work` are optional: absent, the household's 户籍
                # and the legal work-ability test apply
                unknown = value is None and name not in ("hukou", "incomes", "able_to_work")
            if unknown:
                yield _Slot(prefix + name, index, name)
        for item, income in enumerate(member.incomes or ()):
            if only is not None and not {f"members[{index}].incomes[{item}]", "incomes"} & only:
                continue
            if income.monthly is None:
                yield _Slot(f"members[{index}].incomes[{item}].monthly", index, "monthly", item)
            elif income.costs_monthly is None and income.kind in COSTED_KINDS:
                yield _Slot(f"members[{index}].incomes[{item}].costs_monthly", index, "costs_monthly", item)


def _amounts(ctx: Context, per: int) -> list[float]:
    line = ctx.standard or max(ctx.number("dibao.urban_monthly") or Decimal(0),
                               ctx.number("dibao.rural_monthly") or Decimal(0))
    return [0.0, *(float(line * per * Decimal(step)) for step in _INCOME_STEPS)]


def _values(slot: _Slot, household: Household, ctx: Context) -> list[Any]:
    """Typical answers: every choice, or amounts and ages on both sides of every line."""
    name, people = slot.field, len(ctx.unit.members)
    if name in _ENUMS:
        return [v for v in _ENUMS[name] if not (name == "disability_type" and v is DisabilityType.UNKNOWN)]
    if name in _BOOLEANS:
        return [True, False]
    if name == "age":
        limits = [ctx.age_limit(n) for n in _AGE_LIMITS]
        return sorted({30, 80, *(a for limit in limits if limit is not None for a in (limit - 1, limit))})
    if name == "disability_grade":
        return [1, 2, 3, 4]
    if name in ("monthly_income", "monthly", "rigid_expense_monthly"):
        return _amounts(ctx, people)
    if name == "costs_monthly":
        assert slot.member is not None and slot.item is not None
        gross = (household.members[slot.member].incomes or ())[slot.item].monthly or 0
        return [0.0, gross / 2, gross]
    if name == "financial_assets":
        return [0.0, 10_000_000.0]
    if name == "homes":
        return [0, 1, 2, 5]
    if name == "residence_permit_years":
        return [0.0, float(ctx.number("residence_permit.min_years") or 1), 10.0]
    if name == "current_programs":
        return [frozenset(), frozenset({"dibao"}), frozenset({"tekun"})]
    raise KeyError(name)


def _with(household: Household, slot: _Slot, value: Any) -> Household:
    if slot.member is None:
        return replace(household, **{slot.field: value})
    members = list(household.members)
    member = members[slot.member]
    if slot.item is None:
        members[slot.member] = replace(member, **{slot.field: value})
    else:
        incomes = list(member.incomes or ())
        incomes[slot.item] = replace(incomes[slot.item], **{slot.field: value})
        members[slot.member] = replace(member, incomes=tuple(incomes))
    return replace(household, members=tuple(members))


def open_inputs(household: Household, as_of: date, params: Parameters | None = None,
                only: Collection[str] | None = None, like: Household | None = None) -> tuple[OpenInput, ...]:
    """The unknown inputs some answer to which would change a programme's status or settle a check
    of a `possible` programme, most useful first. `only` limits the search to these field names or
    paths (`supporter`, `children_elsewhere`, `members[1].age`, `members[0].incomes[0]`): much
    cheaper when the questionnaire asks about one question. `like`, a household that differs from
    this one in a few answers (the same members), makes it cheaper still when many such households
    are asked about: its evaluation is reused (`bot.rules.reach.rebase`); the result is the same."""
    params = params or load_parameters()
    if like is not None:
        _base(household, as_of, params, like)  # `_open_inputs` finds it
    return _open_inputs(household, as_of, params, None if only is None else frozenset(only))


@lru_cache(maxsize=KEPT)
def _open_inputs(household: Household, as_of: date, params: Parameters,
                 only: frozenset[str] | None) -> tuple[OpenInput, ...]:
    ctx = Context(household, as_of, params)
    base = _base(household, as_of, params)
    read = base.read
    checks = {p: e.open_checks for p, e in base.found.items() if e.status is Status.POSSIBLE}
    found: list[tuple[tuple[int, ...], OpenInput]] = []
    for order, slot in enumerate(_unknown_slots(household, ctx, only)):
        field = "incomes" if slot.item is not None or slot.field == "monthly_income" else slot.field
        changed = frozenset({(slot.member, slot.field), (slot.member, field)})
        if not changed & read:
            continue
        changes: set[str] = set()
        decides: set[str] = set()
        settles: set[str] = set()
        for value in _values(slot, household, ctx):
            variant = evaluate_variant(base, _with(household, slot, value), changed)
            for program, now in base.found.items():
                if variant[program] is now:
                    continue
                if variant[program].status is not now.status:
                    changes.add(program)
                    if Status.UNLIKELY in (variant[program].status, now.status):
                        decides.add(program)
                elif program in checks and variant[program].open_checks != checks[program]:
                    settles.add(program)
        settles -= changes
        if changes or settles:
            item = OpenInput(slot.path, slot.member, slot.field, _ordered(changes), _ordered(decides),
                             _ordered(settles))
            found.append(((*rank(item, {p: e.status for p, e in base.found.items()}), order), item))
    return tuple(item for _, item in sorted(found, key=lambda pair: pair[0]))


def rank(item: OpenInput, statuses: Mapping[str, Status]) -> tuple[int, int, int]:
    """How useful an open input is (smaller first) given the programmes' statuses: the best status
    among the programmes it reaches (negated), the first of those in `PRIORITY`, 0 if it changes a
    status. `open_inputs` ranks by the household's own statuses; the questionnaire compares its
    questions by the statuses of the household it expects (`bot.dialogs.screening_needs`)."""
    reached = (*item.changes, *item.settles)
    top = max(_RANK[statuses[p]] for p in reached)
    first = min(PRIORITY.index(p) for p in reached if _RANK[statuses[p]] == top)
    return (-top, first, 0 if item.changes else 1)


def floor(statuses: Mapping[str, Status]) -> tuple[int, int]:
    """The smallest `rank(item, statuses)[:2]` that any input can have: that of the best programme."""
    return min((-_RANK[status], PRIORITY.index(program)) for program, status in statuses.items())


def _ordered(programs: set[str]) -> tuple[str, ...]:
    return tuple(p for p in PRIORITY if p in programs)
