"""KnowledgeBase: the three outcomes, rendering, and hot reload that never serves a broken edit."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
from pathlib import Path

import pytest

from bot.knowledge import Answer, KnowledgeBase, KnowledgeError
from bot.knowledge.base import Sources

FIXTURES = Path(__file__).parent / "fixtures" / "faq"
TODAY = dt.date(2025, 8, 1)


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    target = tmp_path / "faq"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def kb(faq_dir: Path) -> KnowledgeBase:
    return KnowledgeBase(Sources(faq_dir=faq_dir), today=lambda: TODAY)


def test_confident_answer_with_source_line(kb: KnowledgeBase) -> None:
    a = kb.ask("低保咋个申请")
    assert (a.status, a.entry_id, a.refs) == ("answer", "dibao-apply", (18, 1))
    assert a.answer is not None and a.answer.startswith("由家里一名成员")
    assert a.answer.splitlines()[-1] == (
        "依据：任务清单第18、1条（牵头单位：县民政局）；《最低生活保障审核确认办法》（民发〔2021〕57号）"
    )
    assert 0 <= a.score <= 100 and a.candidates[0].entry_id == "dibao-apply"
    assert [c.score for c in a.candidates] == sorted((c.score for c in a.candidates), reverse=True)


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("城市低保標準是多少", "dibao-standard"),  # traditional
        ("ｃｈｅｎｇ ｓｈｉ ｄｉ ｂａｏ ｂｉａｏ ｚｈｕｎ", "dibao-standard"),  # full-width pinyin
        ("林时就助是什么", "linshi-what"),  # homophones
        ("喂 那个 五保户是啥子", "tekun-what"),  # voice + dialect + synonym
        ("12349是哪个的电话", "hotline"),
    ],
)
def test_tolerant_matching(kb: KnowledgeBase, question: str, entry_id: str) -> None:
    a = kb.ask(question)
    assert (a.status, a.entry_id) == ("answer", entry_id)


def test_amount_rendered_for_today(kb: KnowledgeBase) -> None:
    a = kb.ask("城市低保标准是多少")
    assert a.answer is not None
    assert "744元/人·月" in a.answer and "以县民政局公布为准" in a.answer and "$[" not in a.answer


@pytest.mark.parametrize("question", ["明天元江天气怎么样", "你好", "？？？", "护照在哪里办"])
def test_out_of_scope_falls_back(kb: KnowledgeBase, question: str) -> None:
    a = kb.ask(question)
    assert a.status == "fallback" and a.answer is None and a.entry_id is None and a.refs == ()


def test_vague_question_asks_which_one(kb: KnowledgeBase) -> None:
    a = kb.ask("救助")
    assert a.status in {"clarify", "fallback"}
    if a.status == "clarify":
        assert 1 <= len(a.candidates) <= 3 and a.answer is None


def test_answer_entry_after_a_pick(kb: KnowledgeBase) -> None:
    a = kb.answer_entry("hotline")
    assert (a.status, a.entry_id, a.refs) == ("answer", "hotline", (19,))
    assert a.answer is not None and "12349" in a.answer
    assert kb.answer_entry("gone").status == "fallback"


def test_to_dict_has_the_api_shape(kb: KnowledgeBase) -> None:
    data = kb.ask("低保怎么申请").to_dict()
    assert list(data) == ["status", "answer", "entry_id", "refs", "score", "candidates"]
    assert list(data["candidates"][0]) == ["entry_id", "question", "refs", "score"]
    assert isinstance(data["refs"], list)


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # coarse mtimes on some filesystems


NEW_ENTRY = """
- id: vagrant-help
  question: 看到有人睡在街上怎么办？
  answer: 可以拨打12349或者110，也可以告诉村(社区)。
  refs: [13, 19]
  topic: vagrants
  reviewed: 2026-11-29
"""


def test_hot_reload_picks_up_an_edit(kb: KnowledgeBase, faq_dir: Path) -> None:
    assert "vagrant-help" not in kb.snapshot.entries
    _touch(faq_dir / "more.yaml", NEW_ENTRY)
    assert not kb.reload_if_changed()  # checked less than two seconds ago
    assert kb.reload_if_changed(force=True)
    assert kb.ask("街上有个流浪汉咋个办").entry_id == "vagrant-help"


def test_broken_edit_keeps_the_last_good_version(
    kb: KnowledgeBase, faq_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _touch(faq_dir / "basic.yaml", "- id: dibao-apply\n  question: [broken\n")
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.base"):
        assert not kb.reload_if_changed(force=True)
    assert "reload refused" in caplog.text and "basic.yaml" in caplog.text
    assert kb.ask("低保怎么申请").entry_id == "dibao-apply"
    caplog.clear()
    assert not kb.reload_if_changed(force=True)  # the same broken state is not re-reported
    assert not caplog.text
    shutil.copy(FIXTURES / "basic.yaml", faq_dir / "basic.yaml")
    _touch(faq_dir / "more.yaml", NEW_ENTRY)
    assert kb.reload_if_changed(force=True) and "vagrant-help" in kb.snapshot.entries


def test_reload_happens_inside_ask_after_the_interval(faq_dir: Path) -> None:
    kb = KnowledgeBase(Sources(faq_dir=faq_dir), check_interval=0.0)
    _touch(faq_dir / "more.yaml", NEW_ENTRY)
    assert kb.ask("看到有人睡在街上怎么办").entry_id == "vagrant-help"


def test_concurrent_asks_during_reloads(faq_dir: Path) -> None:
    kb = KnowledgeBase(Sources(faq_dir=faq_dir), check_interval=0.0)
    results: list[Answer] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(30):
                results.append(kb.ask("低保怎么申请"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for n in range(5):
        _touch(faq_dir / "more.yaml", NEW_ENTRY.replace("vagrant-help", f"vagrant-help-{n}"))
    for t in threads:
        t.join()
    assert not errors and len(results) == 120
    assert all(r.entry_id == "dibao-apply" for r in results)


def test_unloadable_start_raises_with_problems(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.from_directory(tmp_path)
    assert "no knowledge files" in str(info.value.problems[0])


def test_default_directory_is_the_shipped_faq() -> None:
    kb = KnowledgeBase.from_directory()
    assert kb.sources.faq_dir == Path(__file__).resolve().parents[2] / "bot" / "knowledge" / "faq"
    assert len(kb.snapshot.entries) > 50
