"""Reply rendering on wechatpy's replies, and the text budget (bot/wechat/replies.py)."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.wechat.replies import escape_cdata, render_text, render_transfer
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
    assert sorted(fields) == ["Content", "CreateTime", "FromUserName", "MsgType", "ToUserName"]
    assert fields["Content"] == xml_text(content)
    assert (fields["ToUserName"], fields["FromUserName"]) == (xml_text(to_user), xml_text(from_user))
    assert fields["MsgType"] == "text"


@given(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="\ufffe\uffff"))
)
def test_ordinary_text_is_unchanged(content: str) -> None:
    # Without control characters (CR included) the content comes back exactly.
    assert children(render_text(USER, ACCOUNT, content, NOW))["Content"] == content


def test_transfer_customer_service() -> None:
    assert children(render_transfer(USER, ACCOUNT, NOW)) == {
        "ToUserName": USER,
        "FromUserName": ACCOUNT,
        "CreateTime": str(NOW),
        "MsgType": "transfer_customer_service",
    }


def test_wechatpy_alone_would_let_text_write_xml() -> None:
    # Why the wrapper exists: wechatpy's renderer puts text into CDATA unescaped.
    from wechatpy.replies import TextReply

    hostile = "x]]></Content><MsgType><![CDATA[news"
    with pytest.raises(ET.ParseError):
        children(TextReply(source=ACCOUNT, target=USER, content=hostile, time=NOW).render())
    assert children(render_text(USER, ACCOUNT, hostile, NOW))["Content"] == hostile


@pytest.mark.parametrize("control", ["\x00", "\x08", "\x1d", "\ud800", "\uffff"])
def test_control_characters_are_left_out_of_replies(control: str) -> None:
    assert children(render_text(USER, ACCOUNT, f"第{control}一", NOW))["Content"] == "第一"
