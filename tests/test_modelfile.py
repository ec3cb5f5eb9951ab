"""Trained models as data: stored exactly, fingerprinted by their inputs, stale files caught."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import modelfile, train
from bot.linear import text_grams
from bot.linear import train as fit
from bot.weights import Weights


def _models() -> dict[str, dict[str, Weights]]:
    texts = ["房子着火了", "着火了快来", "山上着火了", "火锅好吃", "今天吃火锅", "打火机没气了"]
    binary = fit([text_grams(t) for t in texts], [True, True, True, False, False, False], 10.0)
    several = fit([text_grams(t) for t in texts], ["fire", "fire", "fire", "food", "food", "other"], 10.0)
    return {"danger": binary, "kinds": several}


def test_models_come_back_exactly_as_trained(tmp_path: Path) -> None:
    path = tmp_path / "models.npz"
    modelfile.write(path, "abc", _models())
    stored = modelfile.read(path)
    assert stored is not None and stored.fingerprint == "abc"
    assert stored.models == _models()  # the same classes, biases, n-grams and float64 weights
    message = text_grams("屋头着火了")
    assert stored.models["danger"]["True"].score(message) == _models()["danger"]["True"].score(message)


def test_a_model_of_several_classes_over_part_of_the_vocabulary_comes_back_exactly(tmp_path: Path) -> None:
    """The file's vocabulary is shared by its models; each model's matrix holds only the n-grams
    it uses, some of which only one class has a weight for."""
    models = {"one": {"yes": Weights(0.5, {"火": 1.0, "水": -2.0, "山": 3.0})},
              "two": {"p": Weights(0.1, {"山": 1.5}), "q": Weights(-0.2, {"火": 0.25, "风": 4.0})}}
    path = tmp_path / "models.npz"
    modelfile.write(path, "abc", models)
    stored = modelfile.read(path)
    assert stored is not None and stored.models == models
    assert dict(stored.models["two"]["q"].table) == {"火": 0.25, "风": 4.0}
    assert "水" not in stored.models["two"]["p"].table and len(stored.models["two"]["p"].table) == 1


def test_a_missing_or_broken_file_reads_as_none(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert modelfile.read(tmp_path / "absent.npz") is None
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING):
        assert modelfile.read(tmp_path / "broken.npz") is None
    assert "retrained" in caplog.text


def test_the_fingerprint_follows_contents_and_settings(tmp_path: Path) -> None:
    data = tmp_path / "training.yaml"
    data.write_text("- a\n", encoding="utf-8")
    first = modelfile.fingerprint([data], 3.0)
    assert modelfile.fingerprint([data], 3.0) == first
    assert modelfile.fingerprint([data], 1.0) != first
    data.write_text("- b\n", encoding="utf-8")
    assert modelfile.fingerprint([data], 3.0) != first


def test_the_shipped_model_files_are_trained_on_the_shipped_inputs() -> None:
    """Fails after an edit of a training corpus, cues.yaml, the intents' lists, the settings or the
    feature code without `make models` (which retrains and rewrites both files)."""
    assert train.stale() == []
    assert train.main(["--check"]) == 0
