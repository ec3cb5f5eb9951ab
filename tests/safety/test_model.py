"""The learned second stage: danger in words no cue lists, look-alikes still quiet, explained."""

from __future__ import annotations

import yaml

from bot.safety import safety_net
from bot.safety.__main__ import main
from bot.safety.detector import Detector
from bot.safety.model import MODEL_PATH, TRAINING_PATHS, Model, corpus
from bot.weights import Weights


def test_the_model_hears_what_no_cue_lists() -> None:
    net = safety_net().wait().detector
    rules = Detector(net.book)
    text = "我家娃娃在河边耍 一下子就沉下去了"
    assert rules.detect(text) is None
    found = net.detect(text)
    assert found is not None and found.cues == ("(model)",) and found.numbers


def test_the_model_keeps_look_alikes_quiet() -> None:
    detect = safety_net().wait().detect
    for text in ("没有喝农药，是去打农药", "去年房子着过火，现在想问补助", "笑死我了", "火锅好吃",
                 "今天天气咋样", "上礼拜下冰雹 把我家瓦片打烂了 有没有补助"):  # the last: no cue in it
        assert detect(text) is None, text


def test_threshold_is_the_tuned_one() -> None:
    chosen = yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))
    assert safety_net().wait().detector.model is not None
    assert safety_net().wait().detector.model.threshold == chosen["threshold"]
    assert safety_net().wait().detector.model.veto == chosen["veto"]
    assert chosen["leave_one_corpus_out"]["recall"] >= chosen["recall_target"]
    assert set(chosen["leave_one_corpus_out"]["by_corpus"]) == {path.name for path in TRAINING_PATHS}
    assert chosen["veto"] is None or chosen["veto"] <= 0  # never overrules a cue it finds likelier danger


def test_context_modifiers_are_features_even_when_no_cue_is_hit() -> None:
    rules = Detector(safety_net().wait().detector.book)
    features = rules.rule_features("上个月下冰雹 把苞谷全打烂了 有没有补助")
    assert "cue:stands" not in features and not any(f.startswith("cue:") for f in features)
    assert {"ctx:past", "ctx:aid"} <= features
    assert not any(f.startswith("ctx:") for f in rules.rule_features("今天街上人好多"))
    over = rules.rule_features("我爹病了一场 后来治好了")
    assert {"ctx:settled", "ctx:recovered"} <= over


def test_training_corpora_are_not_the_dev_set() -> None:
    from bot.safety.evaluate import load_devset

    assert len(TRAINING_PATHS) == 11
    for path in TRAINING_PATHS:
        training = {str(i["text"]) for i in yaml.safe_load(path.read_text(encoding="utf-8"))}
        assert not training & {c.text for c in load_devset()}, path


def test_every_corpus_category_is_one_the_cue_file_has_numbers_for() -> None:
    book = safety_net().wait().detector.book
    assert {category for _, danger, category in corpus() if danger} <= set(book.categories)


def _sure(bias: float, veto: float | None) -> Model:
    """A model that gives every message the log-odds `bias`."""
    return Model(Weights(bias, {}), {"fire": Weights(0.0, {}), "medical": Weights(0.0, {})}, 9.0, veto)


def test_a_standing_cue_is_overruled_only_below_the_veto() -> None:
    book = safety_net().wait().detector.book
    text = "我家房子着火了"
    assert Detector(book).detect(text) is not None
    assert Detector(book, _sure(-3.0, None)).detect(text) is not None  # no veto: the cue decides
    assert Detector(book, _sure(-3.0, -2.0)).detect(text) is None
    assert Detector(book, _sure(-1.0, -2.0)).detect(text) is not None


def test_the_veto_chosen_never_costs_a_held_back_danger_message() -> None:
    import numpy as np

    from bot.safety.tune import Scores, choose_veto

    labels = np.array([True, True, False, False])
    scores = Scores(free=np.full(4, -np.inf), standing=np.array([-0.6, 3.0, -2.2, 0.5]),
                    stands=np.ones(4, dtype=bool), labels=labels, source=np.array(["a.yaml"] * 4))
    chosen = choose_veto(scores, 0.0)
    assert chosen.veto == -1.0 and chosen.recall == 1.0 and chosen.false_alarms == 0.5


def test_mistakes_lists_the_held_back_misses_and_false_alarms() -> None:
    import numpy as np

    from bot.safety.tune import Scores, choose_veto, mistakes

    scores = Scores(free=np.array([-np.inf, 1.0, 2.0, -1.0]), standing=np.zeros(4),
                    stands=np.zeros(4, dtype=bool), labels=np.array([True, True, False, False]),
                    source=np.array(["a.yaml"] * 4), texts=("甲", "乙", "丙", "丁"),
                    categories=("fire", "fire", "", ""))
    lines = mistakes(scores, choose_veto(scores, 0.5))
    assert [line.split()[0] for line in lines] == ["MISS", "FALSE"]
    assert lines[0].endswith("甲") and lines[1].endswith("丙")


def test_try_names_the_ngrams_that_decided(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["try", "我家娃娃在河边耍 一下子就沉下去了"]) == 0
    out = capsys.readouterr().out
    assert "model: log-odds" in out and "DANGER" in out


def test_tune_at_reports_the_given_point_instead_of_choosing(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from bot.safety import tune

    scores = tune.Scores(free=np.array([-3.0, 0.5, -2.0, 1.5]), standing=np.zeros(4),
                         stands=np.zeros(4, dtype=bool), labels=np.array([True, True, False, False]),
                         source=np.array(["a.yaml"] * 4))
    monkeypatch.setattr(tune, "cross_validate", lambda rules, regularisation, by_corpus=False: scores)
    assert main(["tune", "--at", "-2.5", "-0.5"]) == 0
    out = capsys.readouterr().out
    assert ("chosen threshold -2.50, veto -0.5, leaving one corpus out: recall 0.500, false alarms 1.000"
            in out)
    assert main(["tune"]) == 0  # left to choose, the same scores give a higher threshold
    assert "chosen threshold -2.50" not in capsys.readouterr().out


def test_choose_takes_the_fewest_false_alarms_that_keep_the_recall_target() -> None:
    import numpy as np

    from bot.safety.tune import Scores, choose

    # three danger messages and three look-alikes, a cue standing on all but the last danger one
    labels = np.array([True, True, True, False, False, False])
    scores = Scores(free=np.array([-np.inf, -np.inf, -1.0, -np.inf, -np.inf, -3.0]),
                    standing=np.array([-1.2, 1.0, 0.0, -2.6, -1.0, 0.0]),
                    stands=np.array([True, True, False, True, True, False]), labels=labels,
                    source=np.array(["a.yaml"] * 6))
    every = choose(scores, 1.0)  # the danger message at -1.2 keeps the veto below it; of the equal
    assert (every.recall, every.false_alarms, every.veto) == (1.0, 1 / 3, -2.5)  # ones the lowest
    assert -3.0 < every.threshold <= -1.0  # the free look-alike at -3.0 quiet, the danger one heard
    two_of_three = choose(scores, 0.6)  # may now lose it: the veto rises, but never above 0
    assert two_of_three.false_alarms == 0.0 and two_of_three.veto is not None and two_of_three.veto <= 0
