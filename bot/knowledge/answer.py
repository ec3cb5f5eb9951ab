"""What the knowledge base says to a question: answer, clarify or fall back, and why.

`decide` turns a ranking's calibrated probabilities into the outcome, with the thresholds that
cross-validation chose (calibration.yaml); `Answer` and `Candidate` carry it to the dialogue
engine and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.knowledge.matcher import Ranking
from bot.knowledge.normalize import Key

if TYPE_CHECKING:
    from bot.knowledge.snapshot import Snapshot

Status = Literal["answer", "clarify", "fallback"]
VAGUE_LENGTH = 2  # a question this short ("救助") is answered only when a phrasing says exactly that
EXACT = 0.99  # rapidfuzz ratio (0–1) of sound keys that counts as "exactly that"
CANDIDATES = 5
CLARIFY_OPTIONS = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    entry_id: str
    question: str
    refs: tuple[int, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "question": self.question,
            "refs": list(self.refs),
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    status: Status
    answer: str | None  # rendered text with source line, only for status "answer"
    entry_id: str | None
    refs: tuple[int, ...]
    score: float
    candidates: tuple[Candidate, ...]  # best first; for "clarify" the options to offer
    out_of_scope: bool = False  # not social assistance: never answered, for the referral directory
    referral: str | None = None  # its referral id (taxonomy.yaml), when known

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "answer": self.answer,
            "entry_id": self.entry_id,
            "refs": list(self.refs),
            "score": self.score,
            "candidates": [c.to_dict() for c in self.candidates],
            "out_of_scope": self.out_of_scope,
            "referral": self.referral,
        }


def decide(snapshot: Snapshot, key: Key, ranking: Ranking) -> tuple[Status, bool]:
    """The outcome and whether the question is out of scope, from calibrated probabilities."""
    thresholds = snapshot.index.model.thresholds
    if not ranking.entries:
        return "fallback", False
    if ranking.outside >= thresholds.referral:
        return "fallback", True
    sure = ranking.confidence >= thresholds.answer
    if len(key.sounds) <= VAGUE_LENGTH:  # "救助", "低保": only a phrasing said exactly so is sure
        sure = sure and ranking.entries[0].features["ratio"] >= EXACT
    if sure:
        return "answer", False
    return ("clarify" if ranking.confidence >= thresholds.clarify else "fallback"), False
