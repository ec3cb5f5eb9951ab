"""`check` finds every kind of mistake staff can make, and passes the shipped files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bot.knowledge.check import check
from bot.knowledge.snapshot import Sources

FIXTURES = Path(__file__).parent / "fixtures" / "faq"
FRESH = dt.date(2025, 8, 1)  # the shipped standards (2025-07-01) are the newest then
STALE = dt.date(2026, 12, 1)  # the 2026-07-01 revision is overdue
ENTRY = (
    "- id: {id}\n  question: {q}\n  answer: |\n    {a}\n  refs: {refs}\n  sources: {sources}\n"
    "  topic: standards\n  needs: [standards]\n  reviewed: 2026-11-29\n"
)


def _report(tmp_path: Path, *entries: tuple, today: dt.date = FRESH):
    shutil.copytree(FIXTURES, tmp_path / "faq")
    text = "".join(
        ENTRY.format(id=e[0], q=e[1], a=e[2], refs=e[3] if len(e) > 3 else "[2]",
                     sources=e[4] if len(e) > 4 else "[yunnan-standards]")
        for e in entries
    )
    (tmp_path / "faq" / "extra.yaml").write_text(text, encoding="utf-8")
    return check(Sources(faq_dir=tmp_path / "faq"), today=today)


def _messages(problems) -> dict[str, str]:
    found: dict[str, str] = {}
    for p in problems:
        found[p.entry] = found.get(p.entry, "") + " | " + p.message
    return found


def test_fixture_is_clean() -> None:
    report = check(Sources(faq_dir=FIXTURES), today=FRESH)
    assert report.ok and report.entries == 6 and not report.warnings


def test_every_error_kind(tmp_path: Path) -> None:
    standard = "城市低保标准是$[dibao.urban_monthly]。"
    report = _report(
        tmp_path,
        ("html", "问一", standard + "<b>加粗</b>"),
        ("tpl", "问二", standard + "{{ amount }}"),
        ("param", "问三", standard + "另见$[dibao.no_such]"),
        ("malformed", "问四", standard + "另见$[dibao.urban_monthly"),
        ("long", "问五", standard + "很长" * 700),
        ("dup", "低保怎么申请", standard),
        ("typed-amount", "问六", "城市低保标准是744元。"),
        ("typed-age", "问七", standard + "年满60周岁的老人，持居住证满一年的人。"),
        ("typed-phone", "问八", standard + "有危险先打110。"),
        ("unknown-tel", "问九", standard + "打$[tel.no_such]。"),
        ("now", "问十", "现在城市低保标准是$[dibao.urban_monthly]。"),
        ("wrong-item", "问十一", standard, "[2, 21]"),
        ("unsourced", "问十二", standard + "纳入特困要无劳动能力。"),
        ("padding", "问十三", standard, "[2]", "[yunnan-standards, civil-code]"),
    )
    errors = _messages(report.errors)
    assert not report.ok
    assert "HTML" in errors["html"]
    assert "template syntax" in errors["tpl"]
    assert "unknown parameter $[dibao.no_such]" in errors["param"]
    assert "malformed placeholder" in errors["malformed"]
    assert "over WeChat's 2000" in errors["long"]
    assert "also in dibao-apply" in errors["dup"]
    assert "figure '744元'" in errors["typed-amount"]
    assert "'60周岁'" in errors["typed-age"] and "'居住证满一年'" in errors["typed-age"]
    assert "phone number 110" in errors["typed-phone"] and "$[tel.police]" in errors["typed-phone"]
    assert "unknown phone number $[tel.no_such]" in errors["unknown-tel"]
    assert "calls $[dibao.urban_monthly] current" in errors["now"]
    assert "cites task-list item 21" in errors["wrong-item"] and "item 2," not in errors["wrong-item"]
    assert "without its source" in errors["unsourced"] and "tekun-measures" in errors["unsourced"]
    assert "cites source 'civil-code'" in errors["padding"]


def test_a_figure_quoted_from_a_cited_item_is_fine(tmp_path: Path) -> None:
    quote = "任务清单第1条：特困供养的未成年人年龄从16周岁延长至18周岁。"
    report = _report(tmp_path, ("quote", "问一", quote, "[1]", "[]"))
    assert report.ok, [str(p) for p in report.errors]


def test_needs_are_required_and_come_from_the_taxonomy(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "faq")
    plain = {"a": "答", "refs": "[2]", "sources": "[]"}
    bare = ENTRY.format(id="bare", q="问八", **plain).replace("  needs: [standards]\n", "")
    wrong = ENTRY.format(id="wrong", q="问九", **plain).replace("[standards]", "[standards, pensions]")
    four = "[standards, tekun, linshi, medical]"
    many = ENTRY.format(id="many", q="问十", **plain).replace("[standards]", four)
    (tmp_path / "faq" / "extra.yaml").write_text(bare, encoding="utf-8")
    errors = check(Sources(faq_dir=tmp_path / "faq")).errors
    assert "bare: missing field 'needs'" in "\n".join(map(str, errors))
    (tmp_path / "faq" / "extra.yaml").write_text(wrong + many, encoding="utf-8")
    messages = "\n".join(map(str, check(Sources(faq_dir=tmp_path / "faq")).errors))
    assert "wrong: needs: 'pensions' is not a need" in messages
    assert "many: needs must be a list of 1–3" in messages


def test_warnings(tmp_path: Path) -> None:
    report = _report(tmp_path, ("typed-source", "问七", "标准是$[dibao.urban_monthly]。依据：任务清单第2条"))
    assert report.ok
    warned = _messages(report.warnings)
    assert "source line" in warned["typed-source"]


def test_stale_standards_are_reported_to_staff(tmp_path: Path) -> None:
    fresh = _report(tmp_path / "a", ("s", "问一", "城市低保标准是$[dibao.urban_monthly]。"), today=FRESH)
    stale = _report(tmp_path / "b", ("s", "问一", "城市低保标准是$[dibao.urban_monthly]。"), today=STALE)
    assert not [w for w in fresh.warnings if w.entry == "dibao.urban_monthly"]
    (warning,) = [w for w in stale.warnings if w.entry == "dibao.urban_monthly"]
    assert "2025-07-01" in warning.message and "2026-07-01" in warning.message and stale.ok


def test_load_errors_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("- id: x\n  refs: [99]\n  sources: [nowhere]\n", encoding="utf-8")
    report = check(Sources(faq_dir=tmp_path))
    assert not report.ok and any("no task-list item 99" in str(p) for p in report.errors)
    assert any("'nowhere' is not a source" in str(p) for p in report.errors)


def test_shipped_knowledge_passes() -> None:
    report = check()
    assert report.ok, "\n".join(map(str, report.errors))
    assert report.entries > 50
