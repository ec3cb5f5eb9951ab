"""Which programmes each answer reaches, so that trying another answer re-evaluates only those.

Why: `open_inputs` tries every typical answer to every unknown input. Evaluating all thirteen
programmes for each try made it about 40 ms on a fresh household, too slow for every chat turn. A
programme whose evaluation never read an answer cannot change when that answer does, so each
programme's reads are noted once (with the context's caches emptied before each programme, so
that they do not hide a read from the second programme that needs it), and a try re-evaluates only
the programmes that read the changed answer, plus those whose means test follows the household's
standing when the try moves 低保, 特困 or the low-income band. The evaluations are exactly those of
`evaluate_all` (the order note between 特困 and 低保 aside, which changes no status or check).

The same argument makes a base cheap for a household that differs from one already evaluated in a
few answers (the questionnaire's candidate questions, each left open in the household of common
answers): `rebase` re-evaluates, watched, only the programmes that read a differing answer.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from bot.rules.context import Context, Standing
from bot.rules.criteria import Evaluation, Status
from bot.rules.household import HOUSEHOLD_DEFAULTS, MEMBER_DEFAULTS, Household, Member
from bot.rules.parameters import Parameters
from bot.rules.programs import BY_STANDING, FIRST, ORDER, evaluate_one, standing_of

Read = tuple[int | None, str]  # (member index or None for the household, field name)


class _WatchedMember(Member):
    """A member that notes which of its answers the rules read."""

    def __getattribute__(self, name: str) -> Any:
        if name in MEMBER_DEFAULTS:
            object.__getattribute__(self, "_reads").add((object.__getattribute__(self, "_index"), name))
        return object.__getattribute__(self, name)


class _WatchedHousehold(Household):
    """A household that notes which of its answers the rules read."""

    def __getattribute__(self, name: str) -> Any:
        if name in HOUSEHOLD_DEFAULTS:
            object.__getattribute__(self, "_reads").add((None, name))
        return object.__getattribute__(self, name)


def _watched(household: Household, reads: set[Read]) -> Household:
    members = []
    for index, member in enumerate(household.members):
        watched = _WatchedMember(**{f.name: getattr(member, f.name) for f in fields(Member)})
        object.__setattr__(watched, "_reads", reads)
        object.__setattr__(watched, "_index", index)
        members.append(watched)
    values = {f.name: getattr(household, f.name) for f in fields(Household)}
    watched_household = _WatchedHousehold(**{**values, "members": tuple(members)})
    object.__setattr__(watched_household, "_reads", reads)
    return watched_household


@dataclass(frozen=True)
class Base:
    """A household's evaluations, and the answers each programme, the low-income band and the
    standing (`standing_of`, beyond the programmes it follows) read."""

    as_of: date
    params: Parameters
    found: dict[str, Evaluation]
    band: Status
    standing: Standing
    reads: dict[str, frozenset[Read]]
    built: frozenset[Read]  # read while the context was built (by every programme, then)

    @property
    def read(self) -> frozenset[Read]:
        """Every answer some programme read."""
        return frozenset().union(*self.reads.values())


def base_of(household: Household, as_of: date, params: Parameters) -> Base:
    """Every programme evaluated once over a watched household: what each read, beyond what the
    context read when it was built, is noted with the context's caches emptied before it."""
    seen: set[Read] = set()
    ctx = Context(_watched(household, seen), as_of, params)
    built = frozenset(seen)
    reads: dict[str, frozenset[Read]] = {}
    found: dict[str, Evaluation] = {}

    def watch(program: str, standing: Standing | None = None) -> Evaluation:
        seen.clear()
        ctx.forget()
        evaluation = evaluate_one(ctx, program, standing)
        reads[program] = built | seen
        return evaluation

    for program in FIRST:
        found[program] = watch(program)
    band = watch("lowincome").status
    seen.clear()
    standing = standing_of(ctx.household, found["dibao"].status, found["tekun"].status, band)
    reads["standing"] = frozenset(seen)  # already receiving 低保 or 特困
    for program in ORDER:
        if program not in FIRST:
            found[program] = watch(program, standing)
    return Base(as_of, params, {p: found[p] for p in ORDER}, band, standing, reads, built)


def differing(near: Household, household: Household) -> frozenset[Read] | None:
    """The answers in which two households differ, or None when they differ in what the rules read
    unwatched (the number of members, a relation)."""
    if len(near.members) != len(household.members):
        return None
    found: set[Read] = set()
    members = zip(near.members, household.members, strict=True)
    pairs: list[tuple[int | None, Household | Member, Household | Member]] = [
        (None, near, household), *((i, a, b) for i, (a, b) in enumerate(members))]
    for index, left, right in pairs:
        watched = MEMBER_DEFAULTS if index is not None else HOUSEHOLD_DEFAULTS
        for f in fields(left):
            if f.name != "members" and getattr(left, f.name) != getattr(right, f.name):
                if f.name not in watched:
                    return None
                found.add((index, f.name))
    return frozenset(found)


def rebase(near: Base, near_household: Household, household: Household) -> Base:
    """`base_of(household)` from the base of a household that differs from it in a few answers: the
    programmes that did not read a differing answer keep their evaluation and reads."""
    changed = differing(near_household, household)
    if changed is None or changed & near.built:
        return base_of(household, near.as_of, near.params)
    seen: set[Read] = set()
    ctx = Context(_watched(household, seen), near.as_of, near.params)
    reads, found = dict(near.reads), dict(near.found)

    def watch(program: str, standing: Standing | None = None) -> Evaluation:
        seen.clear()
        ctx.forget()
        evaluation = evaluate_one(ctx, program, standing)
        reads[program] = near.built | seen
        return evaluation

    for program in FIRST:
        if changed & near.reads[program]:
            found[program] = watch(program)
    band = watch("lowincome").status if changed & near.reads["lowincome"] else near.band
    seen.clear()
    standing = standing_of(ctx.household, found["dibao"].status, found["tekun"].status, band)
    reads["standing"] = frozenset(seen)
    moved = standing != near.standing
    for program in ORDER:
        if program not in FIRST and (changed & near.reads[program] or (moved and program in BY_STANDING)):
            found[program] = watch(program, standing)
    return Base(near.as_of, near.params, {p: found[p] for p in ORDER}, band, standing, reads, near.built)


def evaluate_variant(base: Base, variant: Household, changed: frozenset[Read]) -> dict[str, Evaluation]:
    """Every programme's evaluation of `variant`, the base household with the answers `changed`."""
    ctx = Context(variant, base.as_of, base.params)
    found = dict(base.found)
    for program in FIRST:
        if changed & base.reads[program]:
            found[program] = evaluate_one(ctx, program)
    band = evaluate_one(ctx, "lowincome").status if changed & base.reads["lowincome"] else base.band
    standing = standing_of(variant, found["dibao"].status, found["tekun"].status, band)
    moved = standing != base.standing
    for program in ORDER:
        if program not in FIRST and (changed & base.reads[program] or (moved and program in BY_STANDING)):
            found[program] = evaluate_one(ctx, program, standing)
    return found
