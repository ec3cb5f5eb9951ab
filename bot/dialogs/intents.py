"""What the resident wants done, from their own words, at any step: one explainable classifier.

`intents.yaml` lists each intent with what it does (a flow, a global command, an offer) and the
patterns residents use (the pattern language of `bot/phrases.py`, so dialect, homophones,
traditional characters and pinyin are heard the same way as by the safety net). The exact words
of `commands.yaml` and `menu.yaml` (`triggers`) are whole-message words of the same intents, so
staff can keep adding words where they always did.

A pattern counts unless a negation stands right before it (我不想删除), the message asks about
the thing instead of asking for it (自测是什么), or one of the intent's `except` phrases is in the
message (我的医保卡办得怎么样了 is another office's business); `with` phrases must be there too.
Inside a flow, `in_flow: false` intents are left
to the flow, and at the steps an intent lists in `not_at` its patterns are answers (不办了 at a
yes/no question means "no"). A chit-chat clause, or a `yields` intent (stop, help) in a message of
several clauses, lets the learned model hear the whole message first (不测了，我要找人 asks for a
person); a chit-chat clause beside others yields to the model's answer or question (谢谢 我还想问一下
残疾证在哪里办 is the question). Chit-chat the model hears and no list names is a friendly word
back, like the lists' `other`. `classify` returns the intent and the word or pattern that decided,
so a wrong decision can be traced to one line of the data file.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.child import ChildFailed, in_child
from bot.commands import unknown_commands
from bot.dialogs.choices import normalise
from bot.dialogs.intent_guards import beside, clauses, more_than, negated
from bot.dialogs.intent_model import (
    IDLE,
    IntentModel,
    context_of,
    corpus,
    fit,
    inputs,
    read_trained,
    translated,
)
from bot.dialogs.intent_model import settings as intent_settings
from bot.dialogs.menu import entries as menu_entries
from bot.phrases import Grammar, Hit, PhraseSet, Prepared, prepare

log = logging.getLogger(__name__)
DIALOG_DIR = Path(__file__).parent
INTENTS_PATH = DIALOG_DIR / "intents.yaml"
SOUND_MIN = 4  # syllables a gapless pattern needs to be heard by sound (申青低保); 明天填 must not
# commands.yaml names → intents (the others are commands of their own: back, restart, more)
COMMAND_INTENTS = {"menu": "menu", "help": "help", "exit": "exit", "human": "human", "resume": "resume"}
# menu.yaml keys → intents
FLOW_INTENTS = {"screening": "start_screening", "delete_data": "delete_data", "report": "report_need",
                "my_applications": "my_application", "application": "apply", "contact": "contact", "qa": "qa"}
CHAT_COMMANDS = {"greet": "greet", "thanks": "thanks"}
MODEL_CHAT = "chat:other"  # the chit-chat the model hears (新年好, 你吃饭没) and no list names
LABELS = frozenset({*FLOW_INTENTS.values(), *COMMAND_INTENTS.values(), "report_need", "chit_chat"})


@dataclass(frozen=True, slots=True)
class Intent:
    name: str  # start_screening, delete_data, …, or chit_chat
    flow: str | None = None
    command: str | None = None
    offer: str | None = None  # a flow to offer ("要报告吗？"), not to start
    chat: str | None = None  # the chit-chat kind (greet, thanks, ok, bye, laugh, bot, other)
    in_flow: bool = True
    not_at: frozenset[str] = frozenset()
    asked: bool = False  # residents ask for it with a question (电话多少): the model may hear those
    idle: bool = True  # False: its patterns count only inside a flow (算不算 idle is a policy question)
    questions: bool = False  # its patterns stand in a question (这题什么意思 asks for it)
    yields: bool = False  # a clause of its own beside others lets the model hear the message first
    by: str = ""  # the word or pattern that decided
    rest: str = ""  # the message without the words that decided ("居住证没办 不晓得" of "…要办")
    guessed: bool = False  # decided by the model, not by a listed word or pattern


class Intents:
    def __init__(self, raw: dict[str, Any], commands: dict[str, list[str]],
                 menu: list[dict[str, Any]], model: IntentModel | None = None) -> None:
        self.model = model
        self.intents: dict[str, Intent] = {}
        self.words: dict[str, Intent] = {}
        patterns: dict[str, list[str]] = {}
        excepts: dict[str, list[str]] = {}
        with_: dict[str, list[str]] = {}
        for name, spec in (raw.get("intents") or {}).items():
            excepts[name] = [str(p) for p in spec.get("except") or ()]
            if spec.get("with"):
                with_[name] = [str(p) for p in spec["with"]]
            does = spec.get("does") or {}
            self.intents[name] = Intent(name, does.get("flow"), does.get("command"), does.get("offer"),
                                        in_flow=bool(spec.get("in_flow", True)),
                                        not_at=frozenset(spec.get("not_at") or ()),
                                        asked=bool(spec.get("asked")), idle=bool(spec.get("idle", True)),
                                        questions=bool(spec.get("questions")),
                                        yields=bool(spec.get("yields")))
            patterns[name] = [str(p) for p in spec.get("patterns") or ()]
            self._add_words(name, spec.get("words") or ())
        for kind, spec in (raw.get("chit_chat") or {}).items():
            self.intents[f"chat:{kind}"] = Intent("chit_chat", chat=str(kind))
            patterns[f"chat:{kind}"] = [str(p) for p in spec.get("patterns") or ()]
            self._add_words(f"chat:{kind}", spec.get("words") or ())
        for command, words in commands.items():
            name = COMMAND_INTENTS.get(command) or (
                f"chat:{CHAT_COMMANDS[command]}" if command in CHAT_COMMANDS else command)
            if name not in self.intents:
                self.intents[name] = Intent(name, command=command)
            self._add_words(name, words)
        for entry in menu:
            name = FLOW_INTENTS.get(entry["key"], entry["key"])
            if name not in self.intents:
                self.intents[name] = Intent(name, flow=entry["key"])
            self._add_words(name, entry.get("triggers") or ())
        grammar = Grammar({str(k): [str(w) for w in v] for k, v in (raw.get("classes") or {}).items()})
        guards = raw.get("guards") or {}
        self.patterns = PhraseSet(patterns, grammar, sound_min=SOUND_MIN)
        self.excepts = PhraseSet(excepts, grammar, sound_min=SOUND_MIN)
        self.with_ = PhraseSet(with_, grammar, sound_min=SOUND_MIN)
        self._with_groups = tuple(with_)
        self.sounds = {prepare(word).sounds: intent for word, intent in self.words.items()
                       if len(prepare(word).sounds) > 3}  # typed homophones of whole words: 彩单, 珊除
        self.guards = PhraseSet({"negation": [str(w) for w in guards.get("negation") or ()],
                                 "question": [str(w) for w in guards.get("question") or ()],
                                 "model_question": [str(w) for w in guards.get("model_question") or ()]},
                                grammar)

    def _add_words(self, name: str, words: Any) -> None:
        for word in words:
            said = normalise(str(word))
            if said and said not in self.words:
                self.words[said] = self.intents[name]

    def classify(self, text: str, step: str | None = None) -> Intent | None:
        """The intent of `text` at `step` ("flow:step", None when no flow is running), or None."""
        text = translated(text)
        said = normalise(text)
        if not said:  # only emoji or symbols (👍): a friendly word back, not "no text received"
            return _by(self.intents["chat:ok"], "emoji") if text.strip() else None
        exact = self.words.get(said)
        if exact is not None:
            return None if step is not None and step in exact.not_at else _by(exact, said)
        message = prepare(text[:500])
        alike = self.sounds.get(message.sounds)
        if alike is not None:
            return _by(alike, "(sound) " + said)
        hits = self._heard(message)
        guards = self.guards.hits(message)
        if not hits:  # nothing listed heard: the model may, unless it is a question about something
            asked = {g.group for g in guards}  # (how / where: for `asked` intents)
            return None if "question" in asked else self._learned(text, step, "model_question" in asked)
        if all(self.intents[h.group].chat or self.intents[h.group].yields for h in hits) and any(
            beside(h, message.text) or (self.intents[h.group].yields and clauses(message.text) > 1)
            for h in hits
        ):  # 好，那我现在申请 / 不测了，我要找人: chit-chat or a `yields` intent beside a request;
            # the model hears the whole message first
            asked = {g.group for g in guards}
            learned = None if "question" in asked else self._learned(text, step, "model_question" in asked)
            if learned is not None:
                return learned
        if any(g.group == "question" for g in guards):  # model_question: only for the model
            hits = [h for h in hits if self.intents[h.group].chat or self.intents[h.group].questions]
        negations = [g for g in guards if g.group == "negation"]
        excepted = self.excepts.hits(message) if hits else []
        hits = [h for h in hits if not any(e.group == h.group for e in excepted)]
        for name in self.intents:  # in priority order
            intent = self.intents[name]
            if (step is not None and (not intent.in_flow or step in intent.not_at)) or (
                step is None and not intent.idle
            ):
                continue
            for hit in hits:
                if hit.group == name and not negated(hit, negations, message.text):
                    if self._overruled(intent, hit, message.text, text, context_of(step)):
                        return None  # a listed word inside an answer or a question (谢谢 我还想问…)
                    rest = "" if hit.sounds else (message.text[: hit.start] + message.text[hit.end :]).strip()
                    return _by(intent, hit.pattern, rest)
        return None  # heard, then cancelled (a negation, a question, an exception): not a command

    def _overruled(self, intent: Intent, hit: Hit, said: str, text: str, context: str) -> bool:
        """Whether the model is sure the message a pattern heard is not what the pattern says: an
        answer or a question (没有人工作 at the question about work); an intent asked for with a
        question only by an answer; chit-chat beside more only by a question (谢谢 我还想问一下…)."""
        model = self.model
        if model is None:
            return False
        if intent.chat:
            asked = model.overrules(text, context) and not model.answers(text, context)
            return asked and more_than(hit, said)
        return (model.answers if intent.questions else model.overrules)(text, context)

    def _heard(self, message: Prepared) -> list[Hit]:
        """The patterns heard, without those whose `with` phrases are missing: a pattern that needs
        a companion (那个 needs 没人管 to describe someone in need) is not heard alone, so the
        message goes on to the model instead of counting as a cancelled command."""
        hits = self.patterns.hits(message)
        needed = {h.group for h in hits} & set(self._with_groups)
        present = {h.group for h in self.with_.hits(message)} if needed else set()
        return [h for h in hits if h.group not in needed or h.group in present]

    def _learned(self, text: str, step: str | None, asks: bool = False) -> Intent | None:
        """The second stage (`intent_model.py`), for what no word or pattern decided."""
        guess = self.model.command(text, context_of(step)) if self.model is not None else None
        intent = self.intents.get(MODEL_CHAT if guess is not None and guess.label == "chit_chat"
                                  else guess.label) if guess is not None else None
        if guess is None or intent is None or (asks and not intent.asked):
            return None
        if step is not None and (not intent.in_flow or step in intent.not_at):
            return None
        return _by(intent, f"(model {guess.probability:.2f}) " + " ".join(g for g, _ in guess.by), text,
                   guessed=True)

    def examples(self) -> list[tuple[str, str, str]]:
        """Every whole-message word of an intent the model knows, as an idle training item."""
        return [(word, IDLE, intent.name) for word, intent in self.words.items()
                if intent.name in LABELS]


def _by(intent: Intent, by: str, rest: str = "", guessed: bool = False) -> Intent:
    return replace(intent, by=by, rest=rest, guessed=guessed)


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _menu() -> list[dict[str, Any]]:
    return [{"key": entry.key, "triggers": list(entry.triggers)} for entry in menu_entries()]


def rules_only() -> Intents:
    """The shipped word lists and patterns, without a second stage."""
    return Intents(_read(INTENTS_PATH), _read(DIALOG_DIR / "commands.yaml"), _menu())


@cache
def default_intents() -> Intents:
    """The shipped intents with their second stage, read from `intents_trained.npz`. When that file
    was trained on other data (`make models` not run after an edit), the lists work alone while a
    child process trains the model on a background thread, and the log says so."""
    rules = rules_only()
    stored = read_trained()
    if stored is not None and stored[0] == inputs():
        rules.model = stored[1]
        return rules
    log.warning("intents_trained.npz was trained on other data: the word lists serve alone while a "
                "child process trains the model (`make models` ships it)")
    _TRAINING.append(threading.Thread(target=_train, args=(rules,), name="intent-training", daemon=True))
    _TRAINING[-1].start()
    return rules


_TRAINING: list[threading.Thread] = []


def trained_model() -> IntentModel:
    """The second stage trained on the corpus and the lists' words (`make models`, a child process)."""
    chosen = intent_settings()
    return fit(corpus() + rules_only().examples(), float(chosen["regularisation"]),
               float(chosen["threshold"]), float(chosen.get("overrule", 1.01)))


def _train(rules: Intents) -> None:
    try:
        rules.model = in_child(trained_model)
    except ChildFailed as exc:
        log.warning("intent model: no child process (%s), training in this one", exc)
        rules.model = trained_model()


def trained_intents() -> Intents:
    """The shipped intents once their model is in use (tools and tests)."""
    intents = default_intents()
    for thread in _TRAINING:
        thread.join()
    return intents


def check_intents() -> list[str]:
    """Problems in intents.yaml (for `python -m bot.knowledge check`)."""
    try:
        raw = _read(INTENTS_PATH)
        intents = Intents(raw, _read(DIALOG_DIR / "commands.yaml"), _menu())
    except (OSError, yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return [f"{INTENTS_PATH.name}: {exc}"]
    named = (intent.command for intent in intents.intents.values())
    problems = [f"command {name!r} (commands.yaml or intents.yaml) has no handler in bot/commands.py"
                for name in unknown_commands(named)]
    for name, spec in (raw.get("intents") or {}).items():
        does = spec.get("does") or {}
        if not any(does.get(k) for k in ("flow", "command", "offer")):
            problems.append(f"{INTENTS_PATH.name}: intent {name} says nothing it `does`")
    return problems
