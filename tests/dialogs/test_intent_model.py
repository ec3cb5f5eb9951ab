"""The intents' learned second stage: commands in words no list has, answers left to the flow."""

from __future__ import annotations

import logging
import math
import threading

import pytest
import yaml

from bot.dialogs import intents as intents_module
from bot.dialogs.intent_model import MODEL_PATH, TRAINING_PATH, features, fit
from bot.dialogs.intents import DIALOG_DIR, INTENTS_PATH, Intents, _menu, _read, trained_intents


def _rules_only() -> Intents:
    return Intents(_read(INTENTS_PATH), _read(DIALOG_DIR / "commands.yaml"), _menu())


def test_the_model_hears_a_command_no_list_has() -> None:
    text = "我屋头的资料你们莫留着了"
    assert _rules_only().classify(text) is None
    heard = trained_intents().classify(text)
    assert heard is not None and heard.name == "delete_data" and heard.by.startswith("(model")


def test_questions_about_a_command_stay_questions() -> None:
    assert trained_intents().classify("自测是什么") is None


def test_mid_flow_answers_stay_answers() -> None:
    intents = trained_intents()
    for text, step in (("就我一个人 种点苞谷", "screening:age"), ("我叫李红梅", "application:name")):
        assert intents.classify(text, step) is None, text


def test_threshold_is_the_tuned_one() -> None:
    chosen = yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))
    assert trained_intents().model is not None
    assert trained_intents().model.threshold == chosen["threshold"]
    assert "cross_validation" in chosen


def test_training_corpus_is_not_the_dev_set() -> None:
    from bot.dialogs.evaluate_intents import load_devset

    training = {str(i["text"]) for i in yaml.safe_load(TRAINING_PATH.read_text(encoding="utf-8"))}
    overlap = training & {c.text for c in load_devset()}
    # only bare commands and greetings (好的, 菜单, 转人工) that both writers chose on their own
    assert all(len(text) <= 12 for text in overlap), sorted(overlap)


def test_the_weight_matrix_scores_as_the_classes_weights_do() -> None:
    """The model's label and softmax probability are those of its classes' own weights."""
    model = fit([("我要人工", False, "human"), ("找人工客服", False, "human"), ("菜单", False, "menu"),
                 ("回主菜单", True, "menu"), ("低保怎么申请", False, "policy_question"),
                 ("是的", True, "answer")], 1.0, 0.5)
    assert model is not None
    for text, in_flow in (("人工", False), ("菜单在哪", True), ("申请低保", False), ("是", True)):
        found = features(text, in_flow)
        scores = {label: weights.score(found) for label, weights in model.classes.items()}
        best = max(scores, key=scores.__getitem__)
        guess = model.guess(text, in_flow)
        assert guess.label == best
        assert math.isclose(guess.probability, 1 / sum(math.exp(s - scores[best]) for s in scores.values()))


def test_the_shipped_model_is_read_not_trained() -> None:
    assert intents_module.default_intents().model is not None and not intents_module._TRAINING


def test_a_stale_model_file_leaves_the_lists_alone_until_a_child_has_trained(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()
    model = trained_intents().model

    def child(function: object) -> object:
        assert function is intents_module.trained_model
        release.wait(10)
        return model

    monkeypatch.setattr(intents_module, "inputs", lambda: "edited since make models")
    monkeypatch.setattr(intents_module, "in_child", child)
    monkeypatch.setattr(intents_module, "_TRAINING", [])
    with caplog.at_level(logging.WARNING):
        fresh = intents_module.default_intents.__wrapped__()
    assert fresh.model is None and "child process" in caplog.text  # the word lists alone meanwhile
    release.set()
    intents_module._TRAINING[0].join(10)
    assert fresh.model is model
