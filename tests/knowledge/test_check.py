"""`check` finds every kind of mistake staff can make, and passes the shipped files."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.knowledge.base import Sources
from bot.knowledge.check import check

FIXTURES = Path(__file__).parent / "fixtures" / "faq"
ENTRY = (
    "- id: {id}\n  question: {q}\n  answer: |\n    {a}\n  refs: [2]\n"
    "  topic: standards\n  needs: [standards]\n  reviewed: 2026-11-29\n"
)


def _report(tmp_path: Path, *entries: tuple[str, str, str]):
    shutil.copytree(FIXTURES, tmp_path / "faq")
    text = "".join(ENTRY.format(id=i, q=q, a=a) for i, q, a in entries)
    (tmp_path / "faq" / "extra.yaml").write_text(text, encoding="utf-8")
    return check(Sources(faq_dir=tmp_path / "faq"))


def test_fixture_is_clean(tmp_path: Path) -> None:
    report = check(Sources(faq_dir=FIXTURES))
    assert report.ok and report.entries == 6 and not report.warnings


def test_every_error_kind(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        ("html", "问一", "<b>加粗</b>"),
        ("tpl", "问二", "{{ amount }} 元"),
        ("param", "问三", "标准是$[dibao.no_such]"),
        ("malformed", "问四", "标准是$[dibao.urban_monthly"),
        ("long", "问五", "很长" * 700),
        ("dup", "低保怎么申请", "重复的问题"),
    )
    errors = {p.entry: p.message for p in report.errors}
    assert not report.ok
    assert "HTML" in errors["html"]
    assert "template syntax" in errors["tpl"]
    assert "unknown parameter $[dibao.no_such]" in errors["param"]
    assert "malformed placeholder" in errors["malformed"]
    assert "over WeChat's 2000" in errors["long"]
    assert "also in dibao-apply" in errors["dup"]


def test_needs_are_required_and_come_from_the_taxonomy(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "faq")
    bare = ENTRY.format(id="bare", q="问八", a="答").replace("  needs: [standards]\n", "")
    wrong = ENTRY.format(id="wrong", q="问九", a="答").replace("[standards]", "[standards, pensions]")
    four = "[standards, tekun, linshi, medical]"
    many = ENTRY.format(id="many", q="问十", a="答").replace("[standards]", four)
    (tmp_path / "faq" / "extra.yaml").write_text(bare, encoding="utf-8")
    errors = check(Sources(faq_dir=tmp_path / "faq")).errors
    assert "bare: missing field 'needs'" in "\n".join(map(str, errors))
    (tmp_path / "faq" / "extra.yaml").write_text(wrong + many, encoding="utf-8")
    messages = "\n".join(map(str, check(Sources(faq_dir=tmp_path / "faq")).errors))
    assert "wrong: needs: 'pensions' is not a need" in messages
    assert "many: needs must be a list of 1–3" in messages


def test_warnings(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        ("typed-amount", "问六", "城市低保标准是744元。"),
        ("typed-source", "问七", "看这里。依据：任务清单第2条"),
    )
    assert report.ok
    warned = {p.entry: p.message for p in report.warnings}
    assert "type an amount" in warned["typed-amount"]
    assert "source line" in warned["typed-source"]


def test_load_errors_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("- id: x\n  refs: [99]\n", encoding="utf-8")
    report = check(Sources(faq_dir=tmp_path))
    assert not report.ok and any("no task-list item 99" in str(p) for p in report.errors)


def test_shipped_knowledge_passes() -> None:
    report = check()
    assert report.ok, "\n".join(map(str, report.errors))
    assert report.entries > 50
