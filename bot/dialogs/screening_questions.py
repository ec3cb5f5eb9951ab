"""The questionnaire's data (`screening.yaml`) as objects, and how a reply answers a question.

Why: the questions, their options and their wording are data staff can edit; this module loads
them once and turns a resident's reply into the stored answer for one question, using the
parsers in `answers.py`. Which questions apply to a household is `screening_household.py`.

Answers are stored as: choice → option index; multi/members/workers → list of indices;
numbers → float; member → {"relation", "word", "age"} or "done"; skipped → None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.dialogs import answers as parse
from bot.dialogs.choices import pick

if TYPE_CHECKING:
    from bot.dialogs.screening_household import Draft

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
    unset: Mapping[str, Any] = field(default_factory=dict)  # what not choosing it says


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
    return Choice(str(raw["label"]), words, raw.get("value"), raw.get("sets") or {}, raw.get("flag"),
                  raw.get("unset") or {})


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
        found = parse.parse_multi(text, labels)
        if found is not None and kind == "workers":
            found = [draft.workers[i] for i in found]
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
