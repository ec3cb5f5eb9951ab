"""Passive reply XML through wechatpy's replies, and the 2000-byte text budget.

Every string placed in a reply goes through ``_cdata_safe`` first: wechatpy writes fields as
``<![CDATA[...]]>`` without escaping, so a ``]]>`` in a resident's or a knowledge entry's text
would close the CDATA section and let the text write XML; it is split as ``]]]]><![CDATA[>``.
Characters XML cannot carry are removed too, so a reply is never XML WeChat rejects.

WeChat cuts text replies at about 2048 UTF-8 bytes (``TEXT_LIMIT`` keeps 2000); the engine pages
long answers with ``bot.paging.split_text`` before they get here.
"""

from wechatpy.replies import TextReply, TransferCustomerServiceReply

from bot.wechat.xmlfields import xml_text

TEXT_LIMIT = 2000


def escape_cdata(text: str) -> str:
    """Make ``text`` safe inside ``<![CDATA[...]]>``: each ``]]>`` becomes ``]]]]><![CDATA[>``."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def _cdata_safe(text: str) -> str:
    return escape_cdata(xml_text(text))


def render_text(to_user: str, from_user: str, content: str, create_time: int) -> str:
    """A text reply. Call ``split_text`` first: this does not enforce the size limit."""
    reply = TextReply(target=_cdata_safe(to_user), source=_cdata_safe(from_user), time=create_time,
                      content=_cdata_safe(content))
    return str(reply.render())


def render_transfer(to_user: str, from_user: str, create_time: int) -> str:
    """Hand the conversation to the human customer-service desk."""
    reply = TransferCustomerServiceReply(target=_cdata_safe(to_user), source=_cdata_safe(from_user),
                                         time=create_time)
    return str(reply.render())
