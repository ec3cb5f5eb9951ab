"""policy_texts/REVIEW.md lists every shipped entry and the unverified figures, and is up to date."""

from __future__ import annotations

from bot.knowledge import review
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.sources import read_sources
from bot.rules.parameters import load_parameters


def _parts(kb: KnowledgeBase, text: str) -> dict[str, str]:
    return review.generated_parts(kb.snapshot, load_parameters(), read_sources(), review.review_date(text))


def test_review_file_is_up_to_date() -> None:
    kb = KnowledgeBase()
    text = review.REVIEW_PATH.read_text(encoding="utf-8")
    assert review.refresh(text, _parts(kb, text)) == text, "run: python -m bot.knowledge review"


def test_every_entry_and_every_unverified_figure_is_listed() -> None:
    kb = KnowledgeBase()
    text = review.REVIEW_PATH.read_text(encoding="utf-8")
    for entry in kb.snapshot.entries.values():
        assert f"| `{entry.id}` |" in text
    assert "`dibao.urban_monthly` | 744 元/人·月 (due for the yearly revision)" in text
    assert "`dibao.processing_working_days`" in text and "`dibao-measures`" in text
    assert "`service`" not in text.split("<!-- generated: unverified -->")[1].split("<!-- end -->")[0]


def test_refresh_replaces_only_the_generated_parts() -> None:
    text = "intro\n<!-- generated: entries -->\nold\n<!-- end -->\nrest\n"
    expected = "intro\n<!-- generated: entries -->\nnew\n<!-- end -->\nrest\n"
    assert review.refresh(text, {"entries": "new"}) == expected
