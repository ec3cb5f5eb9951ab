"""Loading collects every problem with file, line and entry, in words staff can act on."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.loader import load_directory

FIXTURES = Path(__file__).parent / "fixtures" / "faq"
REFS = frozenset(range(1, 25))


def test_fixture_loads() -> None:
    result = load_directory(FIXTURES, REFS)
    assert not result.problems
    entry = next(e for e in result.entries if e.id == "dibao-apply")
    assert entry.refs == (18, 1)
    assert entry.phrasings[0] == "低保怎么申请？"
    assert entry.file == "basic.yaml" and entry.line == 2
    assert entry.reviewed.isoformat() == "2026-11-29"


def _write(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    return [str(p) for p in load_directory(tmp_path, REFS).problems]


def test_schema_problems(tmp_path: Path) -> None:
    problems = _write(
        tmp_path,
        "- id: Bad_Id\n  question: ''\n  answer: x\n  refs: [25]\n  topic: weather\n"
        "  reviewed: yesterday\n  anser: typo\n",
    )
    text = "\n".join(problems)
    assert "a.yaml:1: Bad_Id:" in text
    assert "unknown field 'anser'" in text
    assert "id must be lowercase" in text
    assert "question must be non-empty" in text
    assert "no task-list item 25" in text
    assert "unknown topic 'weather'" in text
    assert "reviewed must be a date" in text


def test_missing_fields_and_bad_refs(tmp_path: Path) -> None:
    problems = _write(tmp_path, "- id: x\n  question: q\n  refs: []\n")
    assert any("missing field 'answer'" in p for p in problems)
    assert any("an answer needs a source" in p for p in problems)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    problems = _write(tmp_path, "- id: x\n  question: [unclosed\n")
    assert len(problems) == 1 and problems[0].startswith("a.yaml:") and "not valid YAML" in problems[0]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    entry = "- id: same\n  question: q{n}\n  answer: a\n  refs: [1]\n  topic: dibao\n  reviewed: 2026-01-01\n"
    (tmp_path / "one.yaml").write_text(entry.format(n=1), encoding="utf-8")
    (tmp_path / "two.yaml").write_text(entry.format(n=2), encoding="utf-8")
    result = load_directory(tmp_path, REFS)
    assert len(result.entries) == 1
    assert [str(p) for p in result.problems] == ["two.yaml:1: same: duplicate id (also in one.yaml:1)"]


def test_empty_directory_is_a_problem(tmp_path: Path) -> None:
    assert "no knowledge files" in str(load_directory(tmp_path, REFS).problems[0])
