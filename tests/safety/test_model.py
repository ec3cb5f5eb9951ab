"""The learned second stage: danger in words no cue lists, look-alikes still quiet, explained."""

from __future__ import annotations

import yaml

from bot.safety import safety_net
from bot.safety.__main__ import main
from bot.safety.detector import Detector
from bot.safety.model import MODEL_PATH, TRAINING_PATH


def test_the_model_hears_what_no_cue_lists() -> None:
    net = safety_net().wait().detector
    rules = Detector(net.book)
    text = "隔壁家冒大烟了，里头有人"
    assert rules.detect(text) is None
    found = net.detect(text)
    assert found is not None and found.cues == ("(model)",) and found.numbers


def test_the_model_keeps_look_alikes_quiet() -> None:
    detect = safety_net().wait().detect
    for text in ("没有喝农药，是去打农药", "去年房子着过火，现在想问补助", "笑死我了", "火锅好吃",
                 "今天天气咋样"):
        assert detect(text) is None, text


def test_threshold_is_the_tuned_one() -> None:
    chosen = yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))
    assert safety_net().wait().detector.model is not None
    assert safety_net().wait().detector.model.threshold == chosen["threshold"]
    assert chosen["cross_validation"]["recall"] >= chosen["cross_validation"]["recall_target"]


def test_training_corpus_is_not_the_dev_set() -> None:
    from bot.safety.evaluate import load_devset

    training = {str(i["text"]) for i in yaml.safe_load(TRAINING_PATH.read_text(encoding="utf-8"))}
    assert not training & {c.text for c in load_devset()}


def test_try_names_the_ngrams_that_decided(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["try", "隔壁家冒大烟了，里头有人"]) == 0
    out = capsys.readouterr().out
    assert "model: log-odds" in out and "DANGER" in out
