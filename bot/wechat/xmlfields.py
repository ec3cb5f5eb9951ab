"""The gate every untrusted WeChat XML body passes before wechatpy's parser, and text made fit for XML.

wechatpy parses with xmltodict, whose default refuses entity declarations; this gate goes further
and refuses any DOCTYPE before a parser sees the body (no XXE, no billion laughs, no external DTD),
and bodies over 64 KiB.

Characters XML 1.0 cannot carry (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
are removed from incoming text before parsing. WeChat passes them through verbatim inside CDATA
(a ``\\x1d`` typed by some input methods makes the whole message invalid XML, and wechatpy's parser
then fails), and refusing them would leave a resident unanswered for an invisible character. The
same characters are removed from outgoing text, because no XML reply could carry them either.
"""

import re
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

from bot.wechat.errors import BadMessage

MAX_BYTES = 64 * 1024
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n?")


def strip_invalid(text: str) -> str:
    """Remove the characters XML 1.0 does not allow."""
    return _NOT_XML_CHAR.sub("", text)


def xml_text(text: str) -> str:
    """Text exactly as an XML parser will return it: invalid characters removed, CR/CRLF -> LF."""
    return _CRLF.sub("\n", strip_invalid(text))


def checked_xml(body: bytes | str) -> str:
    """``body`` as text a parser may see: UTF-8, at most 64 KiB, no DOCTYPE, no invalid characters."""
    if len(body) > MAX_BYTES:
        raise BadMessage("body is larger than 64 KiB")
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadMessage("body is not UTF-8") from None
    # A DOCTYPE can only stand before the root element, and WeChat's root is always <xml>.
    root = body.find("<xml")
    if "<!doctype" in (body if root < 0 else body[:root]).lower():
        raise BadMessage("DOCTYPE is not allowed")
    return strip_invalid(body)


def read_fields(body: bytes | str) -> dict[str, Any]:
    """The children of the ``<xml>`` root, as xmltodict gives them (text, None when empty, or nested)."""
    try:
        fields = xmltodict.parse(checked_xml(body)).get("xml")
    except (ExpatError, ValueError):
        raise BadMessage("malformed XML") from None
    if not isinstance(fields, dict):
        raise BadMessage("root element is not <xml> with fields")
    return fields
