"""The shipped answers, rendered as residents get them, hold to the policy rules of issue 12.

Every entry is rendered on a day when the yearly standards are overdue for revision (the shipped
figures date from 2025-07-01; on 2026-12-01 the July 2026 revision has passed) and on a day when
they are current. An answer fails on a hard-coded emergency or public phone number, on a figure not
taken from parameters.yaml, on a task-list item cited for a claim that item does not make (or a
claim without its source, per the reviewed mapping policy_texts/claims.yaml), and on calling a
stale standard "现在是".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.content import NOW_WORDS, TYPED_FIGURE, typed_figures
from bot.knowledge.render import PLACEHOLDER
from bot.knowledge.sources import citation_problems, claims_in
from bot.knowledge.tasklist import read_task_list
from bot.phonebook import phonebook
from bot.rules.parameters import load_parameters

STALE_DAY = dt.date(2026, 12, 1)  # "today" of issue 12: the 2026-07-01 revision is overdue
FRESH_DAY = dt.date(2025, 8, 1)  # the shipped standards are the newest ones

KB = KnowledgeBase()
ENTRIES = sorted(KB.snapshot.entries.values(), key=lambda e: e.id)
IDS = [e.id for e in ENTRIES]
EMERGENCY = {p.number for p in phonebook().values()}


def rendered(entry_id: str, day: dt.date) -> str:
    return KB.snapshot.renderer.render(KB.snapshot.entries[entry_id], day)


@pytest.mark.parametrize("entry_id", IDS)
def test_no_phone_number_is_typed(entry_id: str) -> None:
    entry = KB.snapshot.entries[entry_id]
    typed = PLACEHOLDER.sub("", entry.answer)
    found = [n for n in EMERGENCY if re.search(rf"(?<!\d){n}(?!\d)", typed)]
    assert not found, f"{entry_id} types {found}; write $[tel.<id>]"


@pytest.mark.parametrize("entry_id", IDS)
def test_figures_come_from_parameters(entry_id: str) -> None:
    entry = KB.snapshot.entries[entry_id]
    assert not typed_figures(entry, read_task_list()), entry.answer
    text = rendered(entry_id, STALE_DAY)
    assert "$[" not in text  # every placeholder was filled (or said "以县民政局公布为准")


@pytest.mark.parametrize("entry_id", IDS)
def test_citations_match_the_claims(entry_id: str) -> None:
    entry = KB.snapshot.entries[entry_id]
    assert not citation_problems(entry, KB.snapshot.claims)
    line = rendered(entry_id, STALE_DAY).splitlines()[-1]
    assert line.startswith("依据：")
    for item in entry.refs:  # the 依据 line names exactly the cited items
        assert re.search(rf"(?<![\d]){item}(?![\d])", line)


@pytest.mark.parametrize("entry_id", IDS)
def test_stale_standards_are_not_called_current(entry_id: str) -> None:
    entry = KB.snapshot.entries[entry_id]
    params = load_parameters()
    stale = [m for m in PLACEHOLDER.finditer(entry.answer)
             if m.group(1) in params.names() and params.stale(m.group(1), STALE_DAY)]
    for match in stale:
        before = entry.answer[: match.start()]
        assert not NOW_WORDS.search(before), f"{entry_id} calls $[{match.group(1)}] current"
    text = rendered(entry_id, STALE_DAY)
    if stale:
        assert "可能已经有新标准" in text and "民政办" in text  # says it may have changed and where to ask
        assert "可能已经有新标准" not in rendered(entry_id, FRESH_DAY)


def test_emergency_answers_give_the_right_numbers() -> None:
    numbers = {key: p.number for key, p in phonebook().items()}
    fire = rendered("linshi-fire-accident", STALE_DAY)
    assert numbers["fire"] in fire and numbers["ambulance"] in fire and numbers["traffic"] in fire
    assert numbers["fire"] in rendered("disaster-first-steps", STALE_DAY)  # floods, landslides, trapped
    assert numbers["ambulance"] in rendered("vagrants-danger", STALE_DAY)  # a sick person: 120 first
    assert numbers["ambulance"] in rendered("medical-emergency-aid", STALE_DAY)


def test_the_reviewed_mapping_catches_a_wrong_citation() -> None:
    """The checks are not vacuous: a privacy answer citing item 21, or a 特困 rule without source."""
    entry = KB.snapshot.entries["general-privacy"]
    wrong = dataclasses.replace(entry, refs=(21,), sources=())
    problems = citation_problems(wrong, KB.snapshot.claims)
    assert any("item 21" in p for p in problems) and any("本公众号" in p or "service" in p for p in problems)
    assert claims_in(KB.snapshot.entries["tekun-has-children"], KB.snapshot.claims)


def test_typed_figure_pattern() -> None:
    for typed in ("744元", "1.5倍", "60周岁", "16岁", "居住证满一年"):
        assert TYPED_FIGURE.search(typed), typed
    for fine in ("第18条", "2019年", "12349"):
        assert not TYPED_FIGURE.search(fine), fine
