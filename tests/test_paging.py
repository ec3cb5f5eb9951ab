"""Splitting text into parts within a byte budget (bot/paging.py)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dialogs.base import Reply
from bot.paging import fits, paginate, split_text, utf8_len, with_link


def test_fits_counts_utf8_bytes() -> None:
    assert fits("中" * 666, 2000) and not fits("中" * 667, 2000)  # 1998 and 2001 bytes
    assert fits("a" * 2000, 2000) and not fits("a" * 2001, 2000)
    assert fits("😀" * 500, 2000) and not fits("😀" * 500 + "a", 2000)
    assert utf8_len("a中é😀") == len("a中é😀".encode())


@given(text=st.text(), limit=st.integers(4, 64))
def test_split_is_lossless_and_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert "".join(parts) == text
    assert all(fits(part, limit) for part in parts)
    assert all(parts) or parts == [""]


@given(st.text(st.characters(codec="utf-8"), min_size=1000, max_size=3000))
def test_split_default_limit(text: str) -> None:
    parts = split_text(text, 2000)
    assert "".join(parts) == text
    assert all(utf8_len(part) <= 2000 for part in parts)


def test_short_text_is_one_part() -> None:
    assert split_text("", 2000) == [""]
    assert split_text("一句话", 2000) == ["一句话"]


def test_split_prefers_line_breaks() -> None:
    lines = [f"第{i}条：" + "说明" * 45 + "。\n" for i in range(40)]  # ~290 bytes a line
    parts = split_text("".join(lines), 2000)
    assert len(parts) > 1
    assert all(part.endswith("\n") for part in parts)
    assert all(utf8_len(part) > 1000 for part in parts[:-1])


def test_split_falls_back_to_sentence_ends_then_hard_cuts() -> None:
    sentences = ("低保申请需要户口簿和身份证。" * 300)[:-1]
    parts = split_text(sentences, 2000)
    assert all(part.endswith("。") for part in parts[:-1])
    parts = split_text("a" * 4500, 2000)
    assert [len(part) for part in parts] == [2000, 2000, 500]


def test_split_never_separates_a_combining_mark() -> None:
    text = "a" * 1999 + "e\u0301" + "b" * 10
    first, second = split_text(text, 2000)
    assert first == "a" * 1999
    assert second.startswith("e\u0301")
    assert not unicodedata.combining(second[0])


def test_split_multibyte_characters_on_boundaries() -> None:
    parts = split_text("😀" * 1000, 2000)
    assert [len(part) for part in parts] == [500, 500]


def test_split_limit_must_hold_one_character() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 3)


links = st.one_of(st.none(), st.text(st.characters(codec="utf-8"), max_size=20))
urls = st.one_of(st.none(), st.text("abcdef0123456789", max_size=300).map("https://x.example/a/".__add__))


@given(texts=st.lists(st.text(st.characters(codec="utf-8"), max_size=900), max_size=4), url=urls,
       link_text=links, limit=st.integers(600, 2000))
def test_a_page_with_its_link_is_within_the_budget(texts: list[str], url: str | None,
                                                   link_text: str | None, limit: int) -> None:
    replies = [Reply(text) for text in texts] + [Reply("", url, link_text)]
    first, rest = paginate(replies, limit, "\n回复“更多”")
    assert utf8_len(with_link(first)) <= limit
    assert first.url == url
    whole = "\n\n".join(text for text in texts if text)
    assert first.text.removesuffix("\n回复“更多”") + "".join(rest) == whole


def test_the_link_line_names_the_page_or_the_address() -> None:
    assert with_link(Reply("看这里", "https://x.example/a/t", "查看申请")).endswith(
        '\n<a href="https://x.example/a/t">查看申请</a>')
    assert with_link(Reply("看这里", "https://x.example/a/t")).endswith(">https://x.example/a/t</a>")
    assert with_link(Reply("没有链接")) == "没有链接"


def test_a_handoff_is_the_whole_answer() -> None:
    handoff = Reply("", handoff=True)
    assert paginate([Reply("前面的话"), handoff], 2000, "") == (handoff, [])
