"""The questionnaire's data (`screening.yaml`) as objects: questions, their kinds and wording.

Why: the questions, their order and their wording are data staff can edit; this module loads them
once. How a reply is read is the question's answer kind (`bot.dialogs.answers.kinds`); which
questions a household still needs is `screening_needs.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogs.answers.kinds import Kind, kind

QUESTIONS_PATH = Path(__file__).with_name("screening.yaml")


@dataclass(frozen=True)
class Question:
    id: str
    kind_name: str
    prompt: str
    hint: str
    why: str
    label: str
    per: str | None = None

    @property
    def kind(self) -> Kind:
        return kind(self.kind_name)


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[Question, ...]
    ages: Mapping[str, int]
    readback: Mapping[str, Any]

    def question(self, step: str) -> tuple[Question, int | None]:
        """The question a step asks and the member it is about (`school:2` → school, 2)."""
        qid, _, index = step.partition(":")
        found = next(q for q in self.questions if q.id == qid)
        return found, int(index) if index else None

    def is_question(self, step: str) -> bool:
        return any(q.id == step.partition(":")[0] for q in self.questions)

    def topic_kind(self, topic: str) -> Kind:
        return next(q for q in self.questions if q.id == topic).kind


@cache
def questionnaire() -> Questionnaire:
    raw = yaml.safe_load(QUESTIONS_PATH.read_text(encoding="utf-8"))
    questions = tuple(
        Question(id=q["id"], kind_name=q["kind"], prompt=q["prompt"], hint=q["hint"], why=q["why"],
                 label=q["label"], per=q.get("per"))
        for q in raw["questions"]
    )
    for question in questions:
        question.kind  # noqa: B018 - an unknown kind fails at load time, not mid-conversation
    return Questionnaire(questions, raw["ages"], raw["readback"])
