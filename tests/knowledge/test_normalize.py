"""Normalisation brings dialect, voice, traditional and full-width input to one form."""

from __future__ import annotations

import re

import pytest

from bot.knowledge.evaluate import load_devset, sets
from bot.knowledge.lexicon import load_lexicon
from bot.knowledge.normalize import Normalizer, surface
from bot.knowledge.phonetic import sounds


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer(load_lexicon())


def test_surface_width_case_script_punctuation() -> None:
    assert surface("請問，ＤＩ　ＢＡＯ？！") == "请问di bao"
    assert surface("低 保 申 请") == "低保申请"


def test_fillers_dialect_and_synonyms(norm: Normalizer) -> None:
    assert norm.text("喂 那个 就是说 请问吃低保要啥子条件") == "低保要什么条件"
    assert norm.text("低保咋个申請") == "低保怎么申请"
    assert norm.text("屋头娃娃读书整不起") == "家里孩子上学付不起"
    assert norm.text("五保户一个月好多钱") == "特困一个月标准"
    assert norm.text("最低生活保障") == norm.text("低保")
    assert norm.text("老公被判了五年") == norm.text("丈夫坐牢五年")


def test_rewrites_apply_to_sounds_too(norm: Normalizer) -> None:
    assert norm.key("吃底宝").sounds == norm.key("低保").sounds  # homophone of a synonym
    assert norm.key("chi di bao").sounds == norm.key("低保").sounds  # pinyin of a synonym
    assert norm.key("zui di sheng huo bao zhang").sounds == norm.key("低保").sounds


def test_pinyin_with_tone_marks_reads_as_pinyin(norm: Normalizer) -> None:
    assert norm.key("wǒ jiā fáng zi tā le").sounds == norm.key("wo jia fang zi ta le").sounds
    assert norm.key("dī bǎo zěn me shēn qǐng").sounds == norm.key("低保怎么申请").sounds
    assert norm.key("lǜ shī").sounds == norm.key("lv shi").sounds  # ü typed as v


def test_scope_cues(norm: Normalizer) -> None:
    assert norm.in_scope(norm.key("低保怎么办"))
    assert norm.in_scope(norm.key("di bao zen me ban"))
    assert not norm.in_scope(norm.key("明天天气怎么样"))
    assert norm.out_of_scope(norm.key("明天天气怎么样"))
    # A document names no assistance: what makes a 居住证 question ours is the help it asks for.
    assert not norm.in_scope(norm.key("居住证在哪里办"))
    assert norm.in_scope(norm.key("有居住证能申请救助吗"))


def _by_regex(mapping: dict[str, str], text: str) -> str:
    """The plain way to rewrite: one alternation of the words, longest first, and `sub`."""
    words = sorted(mapping, key=len, reverse=True)
    if not words:
        return text
    return re.compile("|".join(map(re.escape, words))).sub(lambda m: mapping[m.group()], text)


def test_rewriting_is_the_longest_first_alternations(norm: Normalizer) -> None:
    """Every rewrite (on characters and on sounds) gives what the regex alternation gives, on the
    development questions and on the lexicon's own words run together (overlaps, words in words)."""
    questions = [case.question for path in sets().values() for case in load_devset(path)]
    steps = [*norm._steps, *(s for group in norm._sound_steps.values() for s in group)]
    for step in steps:
        words = list(step._mapping)
        texts = [*questions, *(sounds(surface(q)) for q in questions[::7])]
        texts += ["".join(words[i : i + 4]) for i in range(0, len(words), 3)] + ["", "无关的话"]
        for text in texts:
            assert step(text) == _by_regex(step._mapping, text), text
