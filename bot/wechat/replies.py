"""Passive reply XML and the 2000-byte text budget.

Every string placed in a reply goes through ``escape_cdata``: a ``]]>`` in a resident's or a
knowledge entry's text would otherwise close the CDATA section and let the text write XML (the
renderers of wechatpy, WeRoBot and WxJava all have this hole). Text is also passed through
``xml_text`` so characters XML cannot carry never produce a reply WeChat rejects.

WeChat cuts text replies at about 2048 UTF-8 bytes (``TEXT_LIMIT`` keeps 2000); the engine pages
long answers with ``bot.paging.split_text`` before they get here.
"""

from bot.wechat.xmlfields import xml_text

TEXT_LIMIT = 2000


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
