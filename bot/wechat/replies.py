"""Passive reply XML and the 2000-byte text budget.

Every string placed in a reply goes through ``escape_cdata``: a ``]]>`` in a resident's or a
knowledge entry's text would otherwise close the CDATA section and let the text write XML (the
renderers of wechatpy, WeRoBot and WxJava all have this hole). Text is also passed through
``xml_text`` so characters XML cannot carry never produce a reply WeChat rejects.

WeChat cuts text replies at about 2048 UTF-8 bytes; ``split_text`` keeps each part within 2000.
"""

import unicodedata

from bot.wechat.xmlfields import xml_text

TEXT_LIMIT = 2000
# Preferred places to cut a long text, best first: after a line break, after the end of a
# sentence, after any space.
_BREAKS = ("\n", "。！？!?；;", " \t\u3000，,、")


def escape_cdata(text: str) -> str:
    """Make ``text`` safe inside ``<![CDATA[...]]>``: each ``]]>`` becomes ``]]]]><![CDATA[>``."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def _cdata(text: str) -> str:
    return f"<![CDATA[{escape_cdata(xml_text(text))}]]>"


def _envelope(to_user: str, from_user: str, create_time: int, msg_type: str, body: str = "") -> str:
    return (
        f"<xml><ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time)}</CreateTime>"
        f"<MsgType>{_cdata(msg_type)}</MsgType>{body}</xml>"
    )


def render_text(to_user: str, from_user: str, content: str, create_time: int) -> str:
    """A text reply. Call ``split_text`` first: this does not enforce the size limit."""
    return _envelope(to_user, from_user, create_time, "text", f"<Content>{_cdata(content)}</Content>")


def render_news(
    to_user: str,
    from_user: str,
    title: str,
    description: str,
    url: str,
    create_time: int,
    pic_url: str = "",
) -> str:
    """A news reply with one article (WeChat shows only the first when answering a message)."""
    article = (
        f"<item><Title>{_cdata(title)}</Title><Description>{_cdata(description)}</Description>"
        f"<PicUrl>{_cdata(pic_url)}</PicUrl><Url>{_cdata(url)}</Url></item>"
    )
    return _envelope(
        to_user,
        from_user,
        create_time,
        "news",
        f"<ArticleCount>1</ArticleCount><Articles>{article}</Articles>",
    )


def render_transfer(to_user: str, from_user: str, create_time: int) -> str:
    """Hand the conversation to the human customer-service desk."""
    return _envelope(to_user, from_user, create_time, "transfer_customer_service")


def _utf8_len(char: str) -> int:
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def utf8_len(text: str) -> int:
    """UTF-8 size of ``text`` (lone surrogates count 3 bytes instead of raising)."""
    return sum(map(_utf8_len, text))


def fits(text: str, limit: int = TEXT_LIMIT) -> bool:
    """True when ``text`` is at most ``limit`` UTF-8 bytes."""
    return utf8_len(text) <= limit


def _joins_previous(char: str) -> bool:
    """Combining marks, variation selectors and joiners belong to the character before them."""
    return bool(unicodedata.combining(char)) or char in "\u200c\u200d" or "\ufe00" <= char <= "\ufe0f"


def _cut(text: str, start: int, limit: int) -> int:
    """End index of the next part of ``text`` beginning at ``start``."""
    end, size = start, 0
    while end < len(text) and size + _utf8_len(text[end]) <= limit:
        size += _utf8_len(text[end])
        end += 1
    if end == len(text):
        return end
    floor = start + (end - start) // 2
    for breaks in _BREAKS:
        best = max(text.rfind(b, floor, end) for b in breaks)
        if best >= floor:
            return best + 1
    hard = end
    while hard > floor and _joins_previous(text[hard]):
        hard -= 1
    return hard if hard > start else end


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-8 bytes; ``"".join(parts) == text``.

    Cuts after a line break when one lies in the second half of a part, else after a sentence end,
    else after a space or comma, else between characters (never inside a code point, and not
    before a combining mark or joiner). Break characters stay at the end of their part, so nothing
    is lost; WeChat does not show a trailing line break.
    """
    if limit < 4:
        raise ValueError("limit must be at least 4 bytes (one UTF-8 character)")
    parts: list[str] = []
    start = 0
    while True:
        end = _cut(text, start, limit)
        parts.append(text[start:end])
        if end == len(text):
            return parts
        start = end
