"""The intents' learned second stage: commands in words no list has, answers left to the flow."""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass

import pytest
import yaml

from bot.dialogs import intents as intents_module
from bot.dialogs.intent_model import (
    MODEL_PATH,
    TAIL_MARK,
    TRAINING_PATHS,
    Guess,
    IntentModel,
    context_of,
    corpus,
    features,
    fit,
    translated,
)
from bot.dialogs.intents import DIALOG_DIR, INTENTS_PATH, Intents, _menu, _read, trained_intents
from bot.phrases import prepare


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
    assert trained_intents().model.overrule == chosen["overrule"]
    assert set(chosen["leave_one_corpus_out"]["per_corpus"]) == {path.name for path in TRAINING_PATHS}


def test_every_corpus_is_trained_on() -> None:
    contexts = {context for _, context, _ in corpus()}
    assert len(TRAINING_PATHS) == 10 and all(len(corpus([path])) > 350 for path in TRAINING_PATHS)
    assert contexts == {"idle", "screening_consent", "screening_question", "screening_result",
                        "application_question", "report_question", "delete_confirm"}


def test_training_corpora_are_not_the_dev_set() -> None:
    from bot.dialogs.evaluate_intents import load_devset

    training = {text for text, _, _ in corpus()}
    overlap = training & {c.text for c in load_devset()}
    # only bare commands and greetings (好的, 菜单, 转人工; typed in pinyin too) that the writers
    # chose on their own: at most a dozen syllables
    assert all(len(prepare(text).sounds.strip()) <= 12 for text in overlap), sorted(overlap)


def test_the_step_is_the_context_the_corpora_name() -> None:
    assert context_of(None) == "idle"
    assert context_of("screening:consent") == "screening_consent"
    assert context_of("screening:income") == "screening_question"
    assert context_of("screening:result") == "screening_result"
    assert context_of("application:phone") == "application_question"
    assert context_of("delete_data:confirm") == "delete_confirm"
    assert context_of("contact:start") == "flow"
    assert "ctx:screening_result" in features("好的", "screening_result")
    assert "ctx:idle" in features("好的", "idle") and "@好" not in features("好的", "idle")


@dataclass
class _Says:
    """A stand-in second stage that hears every message as `label`, this sure."""

    label: str
    probability: float = 0.99
    overrule: float = 0.8

    def command(self, text: str, context: str) -> Guess | None:
        return None if self.label == "answer" else Guess(self.label, self.probability, ())

    def overrules(self, text: str, context: str) -> bool:
        return self.label in ("answer", "policy_question") and self.probability >= self.overrule

    def answers(self, text: str, context: str) -> bool:
        return self.label == "answer" and self.probability >= self.overrule


def test_a_sure_answer_overrules_a_listed_word_inside_it() -> None:
    intents = _rules_only()
    text, step = "帮我转人工", "screening:work"
    assert intents.classify(text, step) is not None  # the listed pattern
    intents.model = _Says("answer")  # type: ignore[assignment]
    assert intents.classify(text, step) is None
    intents.model = _Says("answer", probability=0.6)  # type: ignore[assignment]
    assert intents.classify(text, step) is not None  # not sure enough: the pattern stands
    intents.model = _Says("answer")  # type: ignore[assignment]
    assert intents.classify("转人工", step) is not None  # a whole-message word is never overruled


def test_the_model_hears_questions_only_for_intents_asked_as_questions() -> None:
    intents = _rules_only()
    intents.model = _Says("contact")  # type: ignore[assignment]
    heard = intents.classify("你们那边哪个时候有人在")
    assert heard is not None and heard.name == "contact" and heard.guessed
    intents.model = _Says("apply")  # type: ignore[assignment]
    assert intents.classify("特困供养咋个申请") is None  # a question about applying, for the knowledge base


def test_the_weight_matrix_scores_as_the_classes_weights_do() -> None:
    """The model's label and softmax probability are those of its classes' own weights."""
    model = fit([("我要人工", "idle", "human"), ("找人工客服", "idle", "human"), ("菜单", "idle", "menu"),
                 ("回主菜单", "screening_question", "menu"), ("低保怎么申请", "idle", "policy_question"),
                 ("是的", "delete_confirm", "answer")], 1.0, 0.5)
    assert model is not None
    for text, context in (("人工", "idle"), ("菜单在哪", "screening_question"), ("申请低保", "idle"),
                          ("是", "delete_confirm")):
        found = features(text, context)
        scores = {label: weights.score(found) for label, weights in model.classes.items()}
        best = max(scores, key=scores.__getitem__)
        guess = model.guess(text, context)
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


def test_a_repeated_message_is_scored_once_per_context(monkeypatch: pytest.MonkeyPatch) -> None:
    model = fit([("我要自测", "idle", "start_screening"), ("你好", "idle", "chit_chat"),
                 ("三口人", "screening_question", "answer")], 1.0, 0.5)
    calls: list[str] = []
    score = IntentModel._score

    def counted(self: IntentModel, text: str, context: str) -> Guess:
        calls.append(context)
        return score(self, text, context)

    monkeypatch.setattr(IntentModel, "_score", counted)
    first = model.guess("帮我测一下", "idle")
    assert model.guess("帮我测一下", "idle") == first
    model.guess("帮我测一下", "screening_question")
    assert calls == ["idle", "screening_question"]


def test_a_pattern_missing_its_companion_leaves_the_message_to_the_model() -> None:
    # 那个 describes someone in need only beside a need (没人管): alone it is not heard at all,
    # so it neither cancels nor decides, and the second stage hears the message
    intents = _rules_only()
    text = "那个表，现在走到哪一步"
    assert "report_describe" in {h.group for h in intents.patterns.hits(prepare(text))}
    intents.model = _Says("my_application")  # type: ignore[assignment]
    heard = intents.classify(text)
    assert heard is not None and heard.name == "my_application" and heard.guessed


def test_a_chit_chat_clause_beside_a_request_lets_the_model_hear_the_request() -> None:
    intents = _rules_only()
    intents.model = _Says("apply")  # type: ignore[assignment]
    heard = intents.classify("好的，那就现在弄")
    assert heard is not None and heard.name == "apply"
    for alone in ("好的", "好的 谢谢", "你这个机器笨得很"):  # the chit-chat is all, or part of what is said
        heard = intents.classify(alone)
        assert heard is not None and heard.name == "chit_chat", alone
    intents.model = _Says("answer")  # type: ignore[assignment]
    heard = intents.classify("好的，那就现在弄")  # the model hears no command: still the friendly word
    assert heard is not None and heard.name == "chit_chat"


def test_a_not_a_questions_are_no_negation() -> None:
    intents = _rules_only()
    intents.model = _Says("answer", probability=0.5)  # type: ignore[assignment]  # the lists decide
    heard = intents.classify("测一下看有没有救助")  # 有没有 asks; it does not deny
    assert heard is not None and heard.name == "start_screening" and not heard.guessed
    assert intents.classify("我不想删除") is None  # a negation still cancels
    assert intents.classify("还不晓得要不要申请") is None  # right before the request, undecided


def test_stopping_one_thing_to_ask_for_another_is_the_other() -> None:
    # 不X了 beside a request: the stop is heard as a clause of its own, so the model hears the rest
    intents = _rules_only()
    intents.model = _Says("human")  # type: ignore[assignment]
    heard = intents.classify("不填了，我想当面讲给懂政策的听")
    assert heard is not None and heard.name == "human" and heard.guessed
    intents.model = _Says("answer", probability=0.5)  # type: ignore[assignment]
    heard = intents.classify("不填了，我想当面讲给懂政策的听")  # no other command heard: the stop stands
    assert heard is not None and heard.name == "exit"
    intents.model = _Says("human")  # type: ignore[assignment]
    heard = intents.classify("不填了")  # the stop alone is the whole message: the list decides
    assert heard is not None and heard.name == "exit" and not heard.guessed


def test_english_words_mixed_in_are_heard_as_their_chinese() -> None:
    intents = _rules_only()
    for text, name in (("帮我把资料 Delete 掉", "delete_data"), ("OK 开始自测", "start_screening"),
                       ("我要 apply 低保", "apply"), ("menu", "menu")):
        heard = intents.classify(text)
        assert heard is not None and heard.name == name, text
    assert translated("qing shan chu wo de xin xi") == "qing shan chu wo de xin xi"  # pinyin stays
    assert "删除" in translated("deleted 和 delete") and "deleted" in translated("deleted")
    assert features("帮我 delete 掉", "idle") == features("帮我删除掉", "idle")


def test_the_end_of_a_long_message_is_a_feature_of_its_own() -> None:
    story = "我们家五口人，老倌前年摔断了腿，两个娃娃都还在读书，屋头就靠我种点苞谷，你帮我看一下"
    assert TAIL_MARK + "看一下" in features(story, "idle")
    assert TAIL_MARK + "娃娃" not in features(story, "idle")  # only the last characters
    assert not any(g.startswith(TAIL_MARK) for g in features("帮我看一下", "idle"))  # short: no tail
    assert not any(g.startswith(TAIL_MARK) and "谷你" in g for g in features(story, "idle"))  # clauses kept


def test_only_an_answer_cancels_the_help_asked_for_with_a_question() -> None:
    intents = _rules_only()
    text, step = "打零工的钱算税前还是税后", "screening:income"
    intents.model = _Says("policy_question")  # type: ignore[assignment]
    heard = intents.classify(text, step)  # a question is what asking how to answer is
    assert heard is not None and heard.command == "help"
    intents.model = _Says("answer")  # type: ignore[assignment]
    assert intents.classify(text, step) is None  # sure it is an answer: the flow hears it
    intents.model = _Says("policy_question")  # type: ignore[assignment]
    assert intents.classify("帮我转人工", step) is None  # a command not asked as a question yields
