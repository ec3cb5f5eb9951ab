"""The one vocabulary of short replies (yes, no, unknown, done, actions) for every flow.

Why: the same reply must mean the same thing in the questionnaire, the application, the report
and the delete confirmation. The words live in `vocabulary.yaml`, one meaning each; text is folded
by `bot.text` (the one normaliser) and trimmed of particles and voice fillers before comparing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from bot.text import compact

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")
MEANINGS = ("yes", "no", "unknown", "done", "edit", "why_not", "apply")


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    return {name: tuple(compact(str(word)) for word in words) for name, words in raw.items()}


@cache
def _sets() -> dict[str, frozenset[str]]:
    return {name: frozenset(words) for name, words in vocabulary().items()}


def trim(said: str) -> str:
    """Particles and fillers off both ends of already compacted text ("嗯那个没得呀" → "没得")."""
    edges = sorted((*vocabulary()["fillers"], *vocabulary()["particles"]), key=len, reverse=True)
    changed = True
    while changed and said:
        changed = False
        for word in edges:
            if len(said) > len(word) and said.startswith(word):
                said, changed = said[len(word) :], True
            if len(said) > len(word) and said.endswith(word):
                said, changed = said[: -len(word)], True
    return said


def said(text: str) -> str:
    """A reply as compared with the word lists: compacted (pinyin read as characters), particles
    and fillers trimmed."""
    from bot.dialogs.answers.pinyin import heard

    return trim(compact(heard(text)))


def means(text: str, meaning: str) -> bool:
    """Whether the whole reply is one of the words for `meaning` (yes, no, unknown, done, …)."""
    return said(text) in _sets()[meaning]


def starts_with(said_text: str, meaning: str) -> str | None:
    """The longest word for `meaning` the compacted text starts with (ASCII words only whole)."""
    found = [
        w for w in vocabulary()[meaning] if said_text.startswith(w) and (not w.isascii() or w == said_text)
    ]
    return max(found, key=len) if found else None


def contains(said_text: str, words: Iterable[str]) -> bool:
    return any(word in said_text for word in words)


def yes_no(text: str) -> bool | None:
    """Yes, no, or None. A reply starting with a no-word is no, then one starting with a yes-word."""
    reply = said(text)
    if not reply:
        return None
    if reply in _sets()["no"]:
        return False
    if reply in _sets()["yes"]:
        return True
    if starts_with(reply, "unknown") or reply.startswith(_NOT_A_NO):
        return None  # "不想说 家务事" is not a no; "不过 …" is "but"
    if starts_with(reply, "no"):
        return False
    word = starts_with(reply, "yes")
    if word is None or word in _WEAK_YES or contains(reply[len(word) :], _HESITATION):
        return None
    return True


# Start with 不 but say no no: "but", "whatever", "otherwise", "not only".
_NOT_A_NO = ("不过", "不管", "不然", "不光", "不但", "不仅", "不论")
# Said before anything else, these are fillers as often as a yes ("嗯嗯嗯再想想"): only whole.
_WEAK_YES = frozenset({"嗯", "嗯嗯", "恩", "好", "中", "行", "要"})
_HESITATION = ("想想", "考虑", "等一下", "等等", "再说", "算了", "不", "没", "问问", "商量")


def is_unknown(text: str) -> bool:
    """`不知道`, `跳过`, `不想说` …: the resident cannot or will not answer."""
    return means(text, "unknown")


def looks_like_question(text: str) -> bool:
    """`有没有低保`, `要什么材料`, `…？`: a question asked mid-way, not an answer."""
    if text.rstrip().endswith(("?", "？")):
        return True
    return contains(compact(text), [w for w in vocabulary()["question_markers"] if w])


_NOT_THAT = re.compile(r"不是[^是]*?(?=是|$)")


def correction(text: str) -> str | None:
    """What a reply that corrects an earlier answer says instead ("不对 是八百" → "是八百";
    "老伴不是六十八 是七十" → "老伴是七十"), else None."""
    reply = said(text)
    found = [(reply.find(m), -len(m), m) for m in vocabulary()["correction"] if m in reply]
    numeral = r"[\d一二两三四五六七八九十百千万]"
    if not found and re.search(
        rf"(?<!不)是\S{{0,6}}{numeral}\S{{0,4}}不是\S{{0,3}}{numeral}|"
        rf"不是\S{{0,3}}{numeral}\S{{0,4}}(?<!不)是\S{{0,6}}{numeral}",
        reply,
    ):
        return _NOT_THAT.sub("", reply)  # "是视力一级 不是二级": the right figure, said against the wrong one
    for index, _, marker in sorted(found)[:1]:
        rest = reply[index + len(marker) :] or reply[:index]
        while (again := starts_with(rest, "correction")) and len(rest) > len(again):
            rest = rest[len(again) :]  # "不对不对 是六百"
        later = [(rest.rfind(m) + len(m), m) for m in vocabulary()["correction"] if m in rest[1:]]
        if later and (last := max(later))[0] < len(rest):
            rest = rest[last[0] :]  # "应该是三级 不对 … 是二级": corrected again, the last one counts
        if "不是" in rest and re.search(r"(?<!不)是", rest.replace("不是", "", 1)):
            rest = _NOT_THAT.sub("", rest)
        return rest or None
    return None


def said_before_correction(text: str) -> str | None:
    """What a reply says before its first correction word ("八百 不对 是六百" → "八百"), if any."""
    reply = said(text)
    found = [reply.find(m) for m in vocabulary()["correction"] if m in reply]
    return reply[: min(found)] or None if found else None


def now_said(reply: str) -> str:
    """The part of a reply that gives the value as it is now, when it first says how it was
    ("原先是三级，后头重新评成二级了" → "后头重新评成二级了"); else the reply itself."""
    words = vocabulary()
    was = min((reply.find(w) for w in words["earlier"] if w in reply), default=-1)
    if was < 0:
        return reply
    now = max((reply.rfind(w) for w in words["later"] if reply.rfind(w) > was), default=-1)
    return reply[now:] if now > was else reply
