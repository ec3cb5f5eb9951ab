"""The one place where untrusted WeChat XML is parsed, and where text is made fit for XML.

WeChat messages are a flat ``<xml>`` element with one child per field, so a tiny expat-driven
reader is enough and keeps the attack surface small: any DOCTYPE is refused before an entity can
be declared (no XXE, no billion laughs), duplicate fields are refused, nested elements are skipped.

Characters XML 1.0 cannot carry (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
are removed from incoming text before parsing. WeChat passes them through verbatim inside CDATA
(a ``\\x1d`` typed by some input methods makes the whole message invalid XML), and refusing them
would leave a resident unanswered for an invisible character. The same characters are removed from
outgoing text, because no XML reply could carry them either.
"""

import re
from xml.parsers import expat

from bot.wechat.errors import BadMessage

_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n?")


def strip_invalid(text: str) -> str:
    """Remove the characters XML 1.0 does not allow."""
    return _NOT_XML_CHAR.sub("", text)


def xml_text(text: str) -> str:
    """Text exactly as an XML parser will return it: invalid characters removed, CR/CRLF -> LF."""
    return _CRLF.sub("\n", strip_invalid(text))


def _refuse_doctype(*_args: object) -> None:
    raise BadMessage("DOCTYPE is not allowed")


def parse_fields(body: bytes | str) -> dict[str, str]:
    """Return ``{field: text}`` for the direct children of the ``<xml>`` root element."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadMessage("body is not UTF-8") from None
    fields: dict[str, str] = {}
    chunks: list[str] = []
    depth = 0

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal depth
        if depth == 0 and name != "xml":
            raise BadMessage("root element is not <xml>")
        if depth == 1:
            if name in fields:
                raise BadMessage("duplicate field")
            fields[name] = ""
            chunks.clear()
        depth += 1

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 1:
            fields[name] = "".join(chunks)

    def characters(data: str) -> None:
        if depth == 2:
            chunks.append(data)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(strip_invalid(body), True)
    except expat.ExpatError:
        raise BadMessage("malformed XML") from None
    return fields
