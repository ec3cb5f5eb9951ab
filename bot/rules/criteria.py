"""Criterion outcomes and how they add up to a programme status.

Why: in the spirit of OpenFisca every programme is a set of named checks whose outcome and reason
are kept, so the bot can say which test passed, which failed and which is unknown. An unknown
outcome can only lower a result to `possible`; only a definite failure gives `unlikely`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.rules.texts import render


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"


class Status(StrEnum):
    LIKELY = "likely"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"


_RANK = {Status.UNLIKELY: 0, Status.POSSIBLE: 1, Status.LIKELY: 2}
_AS_OUTCOME = {
    Status.LIKELY: Outcome.PASSED, Status.POSSIBLE: Outcome.UNKNOWN, Status.UNLIKELY: Outcome.FAILED,
}


@dataclass(frozen=True)
class Criterion:
    """One check: `key` names both the check variant and its message in texts.yaml."""

    key: str
    outcome: Outcome
    refs: tuple[int, ...]
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.key, **self.values)


def passed(key: str, refs: Iterable[int], **values: object) -> Criterion:
    return Criterion(key, Outcome.PASSED, tuple(refs), values)


def failed(key: str, refs: Iterable[int], **values: object) -> Criterion:
    return Criterion(key, Outcome.FAILED, tuple(refs), values)


def unknown(key: str, refs: Iterable[int], **values: object) -> Criterion:
    return Criterion(key, Outcome.UNKNOWN, tuple(refs), values)


def from_status(status: Status, key: str, refs: Iterable[int], **values: object) -> Criterion:
    """A criterion that holds exactly as far as another status does; its message is `key.<outcome>`."""
    outcome = _AS_OUTCOME[status]
    return Criterion(f"{key}.{outcome.value}", outcome, tuple(refs), values)


def status_of(criteria: Iterable[Criterion]) -> Status:
    """Three-valued AND: any failure → unlikely, else any unknown → possible, else likely."""
    outcomes = {c.outcome for c in criteria}
    if Outcome.FAILED in outcomes:
        return Status.UNLIKELY
    return Status.POSSIBLE if Outcome.UNKNOWN in outcomes else Status.LIKELY


def best_status(*statuses: Status) -> Status:
    return max(statuses, key=_RANK.__getitem__, default=Status.UNLIKELY)


def weakest_status(*statuses: Status) -> Status:
    return min(statuses, key=_RANK.__getitem__, default=Status.UNLIKELY)


@dataclass(frozen=True)
class Evaluation:
    """A programme's status with the criteria of the route that produced it."""

    program: str
    status: Status
    criteria: tuple[Criterion, ...]
    place: str = "default"
    members: tuple[int, ...] = ()  # the members the route is about (a 特困 candidate, a 低保 household)
    ties: tuple[Evaluation, ...] = ()  # other routes with the same status

    @property
    def open_checks(self) -> frozenset[tuple[str, str]]:
        """The checks still unknown in this route and the routes tied with it, with their values:
        what an answer can settle or narrow."""
        own = frozenset((c.key, repr(sorted(c.values.items()))) for c in self.criteria
                        if c.outcome is Outcome.UNKNOWN)
        return own.union(*(tie.open_checks for tie in self.ties))

    def adding(self, *criteria: Criterion) -> Evaluation:
        return evaluate(self.program, (*self.criteria, *criteria), self.place, self.members)


def evaluate(program: str, criteria: Iterable[Criterion], place: str = "default",
             members: tuple[int, ...] = ()) -> Evaluation:
    kept = tuple(criteria)
    return Evaluation(program, status_of(kept), kept, place, members)


def best(*evaluations: Evaluation) -> Evaluation:
    """The most favourable route; the first one wins ties, so list the usual route first. The
    others with the same status are kept as `ties`."""
    winner = max(evaluations, key=lambda e: _RANK[e.status])
    ties = tuple(e for e in evaluations if e is not winner and e.status is winner.status)
    if not ties:
        return winner
    return Evaluation(winner.program, winner.status, winner.criteria, winner.place, winner.members,
                      winner.ties + ties)
