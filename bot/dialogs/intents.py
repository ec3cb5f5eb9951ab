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
yes/no question means "no"). `classify` returns the intent and the word or pattern that decided,
so a wrong decision can be traced to one line of the data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.commands import unknown_commands
from bot.dialogs.choices import normalise
from bot.dialogs.menu import entries as menu_entries
from bot.phrases import Grammar, Hit, PhraseSet, prepare

DIALOG_DIR = Path(__file__).parent
INTENTS_PATH = DIALOG_DIR / "intents.yaml"
SOUND_MIN = 4  # syllables a gapless pattern needs to be heard by sound (申青低保); 明天填 must not
# commands.yaml names → intents (the others are commands of their own: back, restart, more)
COMMAND_INTENTS = {"menu": "menu", "help": "help", "exit": "exit", "human": "human", "resume": "resume"}
# menu.yaml keys → intents
FLOW_INTENTS = {"screening": "start_screening", "delete_data": "delete_data", "report": "report_need",
                "my_applications": "my_application", "application": "apply", "contact": "contact", "qa": "qa"}
CHAT_COMMANDS = {"greet": "greet", "thanks": "thanks"}


@dataclass(frozen=True, slots=True)
class Intent:
    name: str  # start_screening, delete_data, …, or chit_chat
    flow: str | None = None
    command: str | None = None
    offer: str | None = None  # a flow to offer ("要报告吗？"), not to start
    chat: str | None = None  # the chit-chat kind (greet, thanks, ok, bye, laugh, bot, other)
    in_flow: bool = True
    not_at: frozenset[str] = frozenset()
    by: str = ""  # the word or pattern that decided


class Intents:
    def __init__(self, raw: dict[str, Any], commands: dict[str, list[str]],
                 menu: list[dict[str, Any]]) -> None:
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
                                        not_at=frozenset(spec.get("not_at") or ()))
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
                                 "question": [str(w) for w in guards.get("question") or ()]}, grammar)

    def _add_words(self, name: str, words: Any) -> None:
        for word in words:
            said = normalise(str(word))
            if said and said not in self.words:
                self.words[said] = self.intents[name]

    def classify(self, text: str, step: str | None = None) -> Intent | None:
        """The intent of `text` at `step` ("flow:step", None when no flow is running), or None."""
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
        hits = self.patterns.hits(message)
        if not hits:
            return None
        guards = self.guards.hits(message)
        if any(g.group == "question" for g in guards):
            hits = [h for h in hits if self.intents[h.group].chat]
        negations = [g for g in guards if g.group == "negation"]
        excepted = self.excepts.hits(message) if hits else []
        hits = [h for h in hits if not any(e.group == h.group for e in excepted)]
        needed = {h.group for h in hits} & set(self._with_groups)
        present = {h.group for h in self.with_.hits(message)} if needed else set()
        hits = [h for h in hits if h.group not in needed or h.group in present]
        for name in self.intents:  # in priority order
            intent = self.intents[name]
            if step is not None and (not intent.in_flow or step in intent.not_at):
                continue
            for hit in hits:
                if hit.group == name and not _negated(hit, negations):
                    return _by(intent, hit.pattern)
        return None


def _by(intent: Intent, by: str) -> Intent:
    return Intent(intent.name, intent.flow, intent.command, intent.offer, intent.chat, intent.in_flow,
                  intent.not_at, by)


def _negated(hit: Hit, negations: list[Hit]) -> bool:
    """A negation right before the pattern, or right before what follows one of its gaps."""
    return any(n.end == hit.start or any(low <= n.start and n.end == high for low, high in hit.gaps)
               for n in negations)


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _menu() -> list[dict[str, Any]]:
    return [{"key": entry.key, "triggers": list(entry.triggers)} for entry in menu_entries()]


@cache
def default_intents() -> Intents:
    return Intents(_read(INTENTS_PATH), _read(DIALOG_DIR / "commands.yaml"), _menu())


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
