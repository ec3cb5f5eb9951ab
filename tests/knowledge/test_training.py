"""The training corpus: valid labels, kept apart from the dev sets, and what the classifier learns from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.calibration import load_model
from bot.knowledge.evaluate import load_devset, sets
from bot.knowledge.lexicon import load_lexicon
from bot.knowledge.loader import load_directory
from bot.knowledge.matcher import Index
from bot.knowledge.normalize import Normalizer, surface
from bot.knowledge.taxonomy import load_taxonomy
from bot.knowledge.training import DEFAULT_PATH, Example, files, load_training

FIXTURES = Path(__file__).parent / "fixtures" / "faq"


def test_shipped_corpus_is_labelled_from_the_taxonomy() -> None:
    labels = load_taxonomy()
    examples = load_training(DEFAULT_PATH, labels.needs, labels.referrals)
    assert len(examples) >= 800 and sum(e.out_of_scope for e in examples) >= 150
    assert DEFAULT_PATH.is_dir() and (DEFAULT_PATH / "PROVENANCE.md").exists()
    assert all((DEFAULT_PATH / f"PROVENANCE-residents-{n}.md").exists() for n in range(2, 11))
    assert len(files()) == 10


def test_corpus_shares_no_question_with_a_dev_set() -> None:
    corpus = {surface(e.text) for e in load_training()}
    questions = {surface(c.question) for path in sets().values() for c in load_devset(path)}
    assert not corpus & questions


def test_corpus_files_share_no_question() -> None:
    # cross-validation must never test a question on a fold that learned it from another file
    seen: dict[str, str] = {}
    for path in files():
        texts = {surface(e.text) for e in load_training(path)}
        assert not texts & seen.keys(), path.name
        seen.update(dict.fromkeys(texts, path.name))


def test_unknown_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text('- {text: "房子垮了", needs: [roof]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown id"):
        load_training(path, frozenset({"disaster"}), frozenset({"pension"}))
    assert load_training(None) == () and load_training(tmp_path / "missing.yaml") == ()


def test_the_classifier_learns_residents_wording() -> None:
    entries = load_directory(FIXTURES, frozenset(range(1, 25))).entries
    normalizer = Normalizer(load_lexicon())
    corpus = tuple(
        Example(text, ("linshi",))
        for text in ("冰雹把顶棚砸烂了 屋头啥都没得了", "下冰雹砸了房子 一家人没得地方住", "冰雹砸得屋头稀烂")
    )
    key = normalizer.key("昨晚冰雹把顶棚砸了")
    taught = Index(entries, normalizer, load_model(), corpus).rank(key)
    assert taught.needs[0][0] == "linshi"
    assert Index(entries, normalizer, load_model()).rank(key).needs[0][1] < taught.needs[0][1]


def test_a_directory_is_every_corpus_file_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text('- {text: "养老金咋个领", referral: pension}\n', encoding="utf-8")
    (tmp_path / "a.yaml").write_text('- {text: "房子垮了", needs: [disaster]}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a corpus", encoding="utf-8")
    examples = load_training(tmp_path, frozenset({"disaster"}), frozenset({"pension"}))
    assert [e.text for e in examples] == ["房子垮了", "养老金咋个领"] and examples[1].out_of_scope
