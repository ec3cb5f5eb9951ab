"""The gate every untrusted WeChat XML body passes before a parser, and text made fit for XML.

Messages and the safe-mode envelope are read by the standard library's parser (expat), which would
expand internal entities; this gate refuses any DOCTYPE before a parser sees the body (no XXE, no
billion laughs, no external DTD), and bodies over 64 KiB.

Characters XML 1.0 cannot carry (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
are removed from incoming text before parsing. WeChat passes them through verbatim inside CDATA
(a ``\\x1d`` typed by some input methods makes the whole message invalid XML, and the parser
then fails), and refusing them would leave a resident unanswered for an invisible character. The
same characters are removed from outgoing text, because no XML reply could carry them either.
"""

import re
import xml.etree.ElementTree as ET

from bot.wechat.errors import BadMessage

MAX_BYTES = 64 * 1024
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n?")
# What may stand before the root element: a byte-order mark, the XML declaration, whitespace,
# comments and processing instructions.
_PROLOG = re.compile(r"\ufeff?(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


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
    # A DOCTYPE can only follow the prolog's comments and processing instructions (which may
    # mention "<xml" themselves); the only other "<!" there would be malformed anyway.
    prolog = _PROLOG.match(body)  # always matches, if only the empty string
    if body.startswith("<!", prolog.end() if prolog else 0):
        raise BadMessage("DOCTYPE is not allowed")
    return strip_invalid(body)


def read_fields(body: bytes | str) -> dict[str, str]:
    """The text of each direct child of the ``<xml>`` root ("" when empty or nested), for envelopes.

    The safe-mode envelope is a few flat fields; messages, whose fields wechatpy's classes read,
    are parsed by ``messages._fields``.
    """
    try:
        root = ET.fromstring(checked_xml(body))
    except ET.ParseError:
        raise BadMessage("malformed XML") from None
    if root.tag != "xml":
        raise BadMessage("root element is not <xml>")
    fields: dict[str, str] = {}
    for child in root:
        if child.tag in fields:
            raise BadMessage("duplicate field")
        fields[child.tag] = "" if len(child) else (child.text or "")
    return fields
