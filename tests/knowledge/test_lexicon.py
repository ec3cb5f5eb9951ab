"""The shipped lexicon loads, and a contradictory edit is refused with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.lexicon import DEFAULT_DIR, LexiconError, load_lexicon


def test_shipped_lexicon() -> None:
    lexicon = load_lexicon()
    assert lexicon.colloquial["咋个"] == "怎么"
    assert lexicon.synonyms["五保"] == "特困"
    assert "喂" in lexicon.fillers
    assert "天气" in lexicon.out_of_scope and "低保" in lexicon.in_scope


def test_variant_under_two_terms_is_refused(tmp_path: Path) -> None:
    for path in DEFAULT_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    with (tmp_path / "synonyms.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  医疗: [五保]\n")
    with pytest.raises(LexiconError, match="五保"):
        load_lexicon(tmp_path)


def test_malformed_file_is_refused(tmp_path: Path) -> None:
    for path in DEFAULT_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "fillers.yaml").write_text("fillers: [喂\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"fillers\.yaml"):
        load_lexicon(tmp_path)
