"""The calibration file: round trip, the prior without a file, and refusals that name the problem."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.knowledge.calibration import (
    DECISION,
    FEATURES,
    PRIOR,
    Linear,
    Model,
    Thresholds,
    load_model,
    save_model,
)


def test_round_trip(tmp_path: Path) -> None:
    model = Model(
        Linear(tuple(float(i) / 10 for i in range(len(FEATURES))), -1.0),
        Linear(tuple(1.0 for _ in DECISION), -2.0),
        Linear(tuple(-1.0 for _ in DECISION), 0.5),
        Thresholds(0.7, 0.2, 0.05, 0.6),
        {"folds": 5},
    )
    path = tmp_path / "calibration.yaml"
    save_model(model, path)
    again = load_model(path)
    assert again.thresholds == model.thresholds and again.report == {"folds": 5}
    rows = np.ones((2, len(FEATURES)))
    assert np.allclose(again.probability(rows), model.probability(rows))


def test_prior_without_a_file(tmp_path: Path) -> None:
    assert load_model(tmp_path / "missing.yaml") is PRIOR
    assert load_model(None) is PRIOR


def test_a_missing_weight_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "calibration.yaml"
    save_model(PRIOR, path)
    path.write_text(path.read_text(encoding="utf-8").replace("    need:", "    needx:", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="no weight for need"):
        load_model(path)


def test_shipped_calibration_was_cross_validated() -> None:
    model = load_model()
    report = model.report
    assert report["folds"] >= 5 and set(report["cross_validated"]) == {"training"}  # never the dev sets
    assert 0 < model.thresholds.clarify < model.thresholds.answer < 1
