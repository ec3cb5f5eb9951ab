"""Reply rendering and the text budget (bot/wechat/replies.py)."""

import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.wechat.replies import (
    escape_cdata,
    fits,
    render_news,
    render_text,
    render_transfer,
    split_text,
    utf8_len,
)
from bot.wechat.xmlfields import xml_text

USER, ACCOUNT, NOW = "oyORnuP8q7ou2gfYjqLzSIWZf0rs", "gh_10f6c3c3ac5a", 1700000000
# Text that stresses CDATA: its delimiters and fragments of them, markup, and ordinary characters.
CDATA_HOSTILE = st.lists(
    st.sampled_from(
        ["]]>", "]", "]]", ">", "<![CDATA[", "<", "&", "&amp;", "</Content>", "x", "中", "\n", "\r"]
    )
).map("".join)
ANY_TEXT = st.one_of(st.text(), CDATA_HOSTILE, st.text(st.characters(codec="utf-8")))


def children(reply: str) -> dict[str, str]:
    root = ET.fromstring(reply)
    assert root.tag == "xml"
    return {child.tag: child.text or "" for child in root}


def test_escape_cdata() -> None:
    assert escape_cdata("a]]>b]]>") == "a]]]]><![CDATA[>b]]]]><![CDATA[>"
    assert escape_cdata("no delimiter ] > ]]") == "no delimiter ] > ]]"


def test_render_text() -> None:
    reply = render_text(USER, ACCOUNT, "您好\n请回复数字", NOW)
    assert children(reply) == {
        "ToUserName": USER,
        "FromUserName": ACCOUNT,
        "CreateTime": str(NOW),
        "MsgType": "text",
        "Content": "您好\n请回复数字",
    }


@given(content=ANY_TEXT, to_user=ANY_TEXT, from_user=ANY_TEXT)
def test_text_survives_rendering_and_nothing_escapes(content: str, to_user: str, from_user: str) -> None:
    fields = children(render_text(to_user, from_user, content, NOW))
    assert list(fields) == ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content"]
    assert fields["Content"] == xml_text(content)
    assert (fields["ToUserName"], fields["FromUserName"]) == (xml_text(to_user), xml_text(from_user))
    assert fields["MsgType"] == "text"


@given(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="\ufffe\uffff"))
)
def test_ordinary_text_is_unchanged(content: str) -> None:
    # Without control characters (CR included) the content comes back exactly.
    assert children(render_text(USER, ACCOUNT, content, NOW))["Content"] == content


@given(title=ANY_TEXT, description=ANY_TEXT, url=ANY_TEXT)
def test_news_has_one_article_and_nothing_escapes(title: str, description: str, url: str) -> None:
    root = ET.fromstring(render_news(USER, ACCOUNT, title, description, url, NOW, pic_url="]]>"))
    assert [child.tag for child in root] == [
        "ToUserName",
        "FromUserName",
        "CreateTime",
        "MsgType",
        "ArticleCount",
        "Articles",
    ]
    assert root.findtext("MsgType") == "news" and root.findtext("ArticleCount") == "1"
    items = root.findall("Articles/item")
    assert len(items) == 1
    article = {child.tag: child.text or "" for child in items[0]}
    assert article == {
        "Title": xml_text(title),
        "Description": xml_text(description),
        "PicUrl": "]]>",
        "Url": xml_text(url),
    }


def test_transfer_customer_service() -> None:
    assert children(render_transfer(USER, ACCOUNT, NOW)) == {
        "ToUserName": USER,
        "FromUserName": ACCOUNT,
        "CreateTime": str(NOW),
        "MsgType": "transfer_customer_service",
    }


def test_fits_counts_utf8_bytes() -> None:
    assert fits("中" * 666) and not fits("中" * 667)  # 1998 and 2001 bytes
    assert fits("a" * 2000) and not fits("a" * 2001)
    assert fits("😀" * 500) and not fits("😀" * 500 + "a")
    assert utf8_len("a中é😀") == len("a中é😀".encode())


@given(text=st.text(), limit=st.integers(4, 64))
def test_split_is_lossless_and_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert "".join(parts) == text
    assert all(fits(part, limit) for part in parts)
    assert all(parts) or parts == [""]


@given(st.text(st.characters(codec="utf-8"), min_size=1000, max_size=3000))
def test_split_default_limit(text: str) -> None:
    parts = split_text(text)
    assert "".join(parts) == text
    assert all(utf8_len(part) <= 2000 for part in parts)


def test_short_text_is_one_part() -> None:
    assert split_text("") == [""]
    assert split_text("一句话") == ["一句话"]


def test_split_prefers_line_breaks() -> None:
    lines = [f"第{i}条：" + "说明" * 45 + "。\n" for i in range(40)]  # ~290 bytes a line
    parts = split_text("".join(lines))
    assert len(parts) > 1
    assert all(part.endswith("\n") for part in parts)
    assert all(utf8_len(part) > 1000 for part in parts[:-1])


def test_split_falls_back_to_sentence_ends_then_hard_cuts() -> None:
    sentences = ("低保申请需要户口簿和身份证。" * 300)[:-1]
    parts = split_text(sentences)
    assert all(part.endswith("。") for part in parts[:-1])
    parts = split_text("a" * 4500)
    assert [len(part) for part in parts] == [2000, 2000, 500]


def test_split_never_separates_a_combining_mark() -> None:
    text = "a" * 1999 + "e\u0301" + "b" * 10
    first, second = split_text(text)
    assert first == "a" * 1999
    assert second.startswith("e\u0301")
    assert not unicodedata.combining(second[0])


def test_split_multibyte_characters_on_boundaries() -> None:
    parts = split_text("😀" * 1000)
    assert [len(part) for part in parts] == [500, 500]


def test_split_limit_must_hold_one_character() -> None:
    with pytest.raises(ValueError):
        split_text("abc", 3)
