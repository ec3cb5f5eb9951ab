"""What a free-text slot (a name, a village, who or what a report is about) must not take: a reply
that already means something else, and text that carries someone's number.

Why: "同意", "好的", "不知道", "你好", "谢谢", "算了" or "13812345678" typed at the name step is a
consent, a greeting, a command or a phone number, never a name; a report's "who" is not "好的"
either. Each free-text reader asks `other_meaning` (one check, as Rasa's `validate_<slot>` for a
text slot), built on the one vocabulary and the global command words, instead of each flow growing
its own list of words a name cannot be. `holds_number` is what keeps a reply with a phone or ID
number out of the knowledge base: it answers a step (or is asked again), it is never a question.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.application.identity import digit_runs, find_mobile, parse_mobile
from bot.dialogs.answers.pinyin import heard
from bot.dialogs.answers.vocabulary import MEANINGS, looks_like_question, means, said
from bot.text import compact

COMMANDS_PATH = Path(__file__).parents[1] / "commands.yaml"
ID_DIGITS = (15, 18)  # first- and second-generation ID numbers
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
# What may stand around a number in a reply that is only the number: "我的电话是 138…", "手机号：138…".
_AROUND_NUMBER = re.compile(r"[\d\s+\-()（）:：]|电话|手机号?|号码|联系|座机|我|他|她|的|是|打|这个|就")


@cache
def _command_words() -> frozenset[str]:
    """Every word of the global commands, greetings and thanks (`dialogs/commands.yaml`)."""
    raw = yaml.safe_load(COMMANDS_PATH.read_text(encoding="utf-8"))
    return frozenset(compact(str(word)) for words in raw.values() for word in words)


def holds_number(text: str) -> bool:
    """Whether the reply carries a mobile, a landline with its area code or an ID number."""
    spoken = heard(text)
    runs = digit_runs(spoken)
    if find_mobile(spoken) is not None or parse_mobile("".join(runs)) is not None:
        return True
    if _LANDLINE.search(compact(spoken).replace("—", "-")):
        return True
    return any(len(run) in ID_DIGITS and run[:-1].isdigit() for run in runs)


def gives_number(text: str) -> bool:
    """Whether the message gives someone's number rather than asking something ("我的电话 138…",
    not "这个号码能查低保进度吗"): it is answered with a hint and never kept."""
    return holds_number(text) and not looks_like_question(text)


def other_meaning(text: str, questions: bool = True) -> str | None:
    """What the reply means instead of being a free answer: a word of the vocabulary ("yes", "no",
    "unknown", "done", "acknowledge", …), "command" (a global command, greeting or thanks), "number" (digits
    only, or a phone or ID number), "question" (unless `questions` is False: a report's
    description may end in 怎么办); None when it can be a free answer."""
    reply = said(text)
    if not reply:
        return "empty"
    found = next((meaning for meaning in (*MEANINGS, "acknowledge") if means(text, meaning)), None)
    if found is not None:
        return found
    if reply in _command_words() or compact(text) in _command_words():
        return "command"
    if reply.isdigit() or (holds_number(text) and not _AROUND_NUMBER.sub("", heard(text))):
        return "number"
    if questions and looks_like_question(text):
        return "question"
    return None
