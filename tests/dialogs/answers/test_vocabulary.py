"""The one vocabulary: one meaning per word, folded like every other text, used by every flow."""

from collections import Counter

import pytest
import yaml

from bot.dialogs.answers.vocabulary import (
    MEANINGS,
    VOCABULARY_PATH,
    correction,
    is_unknown,
    looks_like_question,
    means,
    vocabulary,
    yes_no,
)
from bot.text import compact


def test_every_word_has_one_meaning() -> None:
    raw = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    counted = Counter(compact(str(w)) for name in MEANINGS for w in raw[name])
    assert [w for w, n in counted.items() if n > 1] == []


def test_no_other_file_keeps_its_own_yes_no_lists() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "bot"
    for path in root.rglob("*.yaml"):
        if path == VOCABULARY_PATH:
            continue
        text = path.read_text(encoding="utf-8")
        for key in ("yes_words:", "no_words:", "skip_words:", "no_contact:", '"yes": [', '"no": ['):
            assert key not in text, f"{path} keeps its own {key}"


@pytest.mark.parametrize("text", ["有", "有的呀", "要得", "是嘞", "對", "嗯 有 办了一年半了", "同意"])
def test_yes(text: str) -> None:
    assert yes_no(text) is True


@pytest.mark.parametrize(
    "text", ["没有", "没得", "莫得", "冇得", "哪样都没得", "没有 就是有点气管炎", "不同意"]
)
def test_no(text: str) -> None:
    assert yes_no(text) is False


@pytest.mark.parametrize("text", ["嗯嗯嗯再想想", "明天", "12", "好 我先问问我儿子"])
def test_neither(text: str) -> None:
    assert yes_no(text) is None


def test_没有_means_no_everywhere_and_unknown_is_separate() -> None:
    assert means("没有", "no") and not means("没有", "unknown")
    assert is_unknown("晓不得") and is_unknown("这个不想说") and not is_unknown("没有")


def test_questions_and_corrections() -> None:
    assert looks_like_question("有没有低保") and looks_like_question("要带哪样材料？")
    assert not looks_like_question("530428195503150021") and not looks_like_question("两千五")
    assert correction("不对 是八百 我刚才说多了") == "是八百我刚才说多了"
    assert correction("刚才说错了 老伴不是六十八 是七十了") == "老伴是七十了"
    assert correction("不对") is None and correction("两千") is None


def test_words_are_compared_folded() -> None:
    assert all(w == compact(w) for words in vocabulary().values() for w in words)
    assert means("沒有", "no") and means("ＯＫ", "yes")


def test_words_that_start_with_不_but_say_no_no() -> None:
    from bot.dialogs.answers.vocabulary import yes_no

    assert yes_no("不过 要快点") is None and yes_no("不想说") is None and yes_no("不要") is False
