"""A server's knowledge base is built in a child process: the same answers, no scikit-learn or scipy here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.knowledge.evaluate import load_devset, sets

FIXTURES = Path(__file__).parent / "fixtures" / "faq"
ROOT = Path(__file__).resolve().parents[2]


def test_a_snapshot_built_in_a_child_answers_as_one_built_here(tmp_path: Path) -> None:
    faq = tmp_path / "faq"
    shutil.copytree(FIXTURES, faq)
    here, isolated = KnowledgeBase.from_directory(faq), KnowledgeBase.from_directory(faq, isolated=True)
    questions = [case.question for path in sets().values() for case in load_devset(path)][::25]
    assert [here.ask(q).to_dict() for q in questions] == [isolated.ask(q).to_dict() for q in questions]
    (faq / "more.yaml").write_text((FIXTURES / "basic.yaml").read_text(encoding="utf-8")
                                   .replace("id: ", "id: more-"), encoding="utf-8")
    assert isolated.reload_if_changed(force=True)  # a staff edit, rebuilt in a child too
    assert len(isolated.snapshot.entries) == 2 * len(here.snapshot.entries)


def test_problems_found_in_the_child_come_back_whole(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.from_directory(tmp_path, isolated=True)
    assert "no knowledge files" in str(info.value.problems[0])


def test_a_worker_loads_neither_scikit_learn_nor_scipy() -> None:
    """What a worker builds at start (`create_app`): models read from files, knowledge in a child;
    and what it runs to answer (the snapshot's arrays: scipy alone is ~23 MB of a worker's RSS)."""
    script = ("import sys\n"
              "from bot.app import create_app\n"
              "from bot.settings import Settings\n"
              "app = create_app(Settings(app_env='test', _env_file=None))\n"
              "answer = app.state.knowledge.ask('低保怎么申请')\n"
              "print(answer.status, answer.entry_id is not None)\n"
              "print(sorted(name for name in sys.modules if name.split('.')[0] in ('sklearn', 'scipy')))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=True).stdout
    assert out.strip().splitlines()[-2:] == ["answer True", "[]"]
