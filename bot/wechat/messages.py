"""Inbound WeChat messages as one small immutable value, read by wechatpy's message classes.

The webhook hands the (decrypted) XML body to ``parse_inbound`` and gets an ``Inbound`` it can
route and de-duplicate without knowing WeChat's field names. The body passes the XML gate
(``xmlfields.checked_xml``), and the identifiers are held to the shapes WeChat uses, so they are
safe inside Redis keys and log lines. Anything that is not a well-formed message raises
``BadMessage``; the webhook answers ``success`` to it.

wechatpy's ``parse_message`` reads the body with xmltodict, whose Python callbacks cost most of a
parse; the standard library's C tree builder gives the same fields (``_fields``) several times
faster, and wechatpy's classes still choose the kind and convert the fields (``_message``).
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, TypeGuard

from wechatpy.events import EVENT_TYPES, BaseEvent
from wechatpy.messages import MESSAGE_TYPES, BaseMessage, UnknownMessage

from bot.wechat.errors import BadMessage
from bot.wechat.xmlfields import checked_xml

KINDS = frozenset({"text", "voice", "image", "video", "shortvideo", "location", "link", "event"})
# openids are base64url-like, account ids gh_<hex>, appids wx<hex>.
_ID = re.compile(r"[A-Za-z0-9_\-@.]{1,128}")
_MAX_TIME, _MAX_MSG_ID = 10**12, 10**24


@dataclass(frozen=True)
class Inbound:
    """One message or event from a resident, in WeChat-neutral terms."""

    kind: str
    user: str
    account: str
    create_time: int
    msg_id: str | None
    text: str | None
    event: str | None
    event_key: str | None

    def dedup_key(self) -> str:
        """Key shared by WeChat's retries of this delivery (MsgId; user + time + event otherwise)."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.user}:{self.create_time}:{self.event or self.kind}:{self.event_key or ''}"

    @property
    def scene(self) -> str | None:
        """QR-code scene of a ``subscribe`` (``qrscene_<scene>``) or ``scan`` event, else None."""
        if self.event == "subscribe" and self.event_key and self.event_key.startswith("qrscene_"):
            return self.event_key.removeprefix("qrscene_") or None
        if self.event == "scan":
            return self.event_key or None
        return None


def is_identifier(value: Any) -> TypeGuard[str]:
    """True for the shapes of openids, account ids and appids (safe in Redis keys and logs)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _identifier(value: Any, name: str) -> str:
    if not is_identifier(value):
        raise BadMessage(f"invalid {name}")
    return value


def _text(value: Any, name: str) -> str:
    """A text field: None (absent or empty) is ""; a repeated field (a list) is refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadMessage(f"invalid {name}")
    return value


def _event(message: BaseMessage) -> tuple[str, str | None]:
    """WeChat's own event name and EventKey.

    wechatpy renames a subscribe from a QR code to ``subscribe_scan`` with ``qrscene_`` cut from
    its key, and gives an event it does not know (e.g. ``subscribe_msg_popup_event``) as an
    ``UnknownMessage`` that keeps only its raw fields; the service speaks WeChat's names.
    """
    if isinstance(message, UnknownMessage):
        name, key = message._data.get("Event"), message._data.get("EventKey")
    elif message.event == "subscribe_scan":
        name, key = "subscribe", f"qrscene_{_text(message.scene_id, 'EventKey')}"
    else:
        name = message.event
        fields = [a for a in ("scene_id", "key", "url") if hasattr(type(message), a)]
        try:
            key = getattr(message, fields[0]) if fields else None
        except IndexError:  # wechatpy splits "scanbarcode|…" keys on "|" and indexes the parts
            raise BadMessage("malformed EventKey") from None
    if not isinstance(name, str) or not name.strip():
        raise BadMessage("missing field Event")
    return name.strip().lower(), _text(key, "EventKey").strip() or None


def _kind(message: BaseMessage) -> str:
    if isinstance(message, BaseEvent):
        return "event"
    if isinstance(message, UnknownMessage):
        return "event" if str(message._data.get("MsgType")).lower() == "event" else "unknown"
    return message.type if message.type in KINDS else "unknown"


def _fields(xml: str) -> dict[str, Any]:
    """The root's children as xmltodict hands them to wechatpy: text with the whitespace around it
    trimmed (None when empty), an element with children or attributes as a dict, a repeated one as
    a list. Raises ET.ParseError, or KeyError when the root is not ``<xml>``."""
    root = ET.fromstring(xml)
    if root.tag != "xml":
        raise KeyError("xml")
    fields: dict[str, Any] = {}
    for child in root:
        value: Any = ({**child.attrib, "children": len(child)} if len(child) or child.attrib
                      else (child.text or "").strip() or None)
        if child.tag in fields:
            held = fields[child.tag]
            value = [*held, value] if isinstance(held, list) else [held, value]
        fields[child.tag] = value
    return fields


def _message(fields: dict[str, Any]) -> BaseMessage:
    """wechatpy's message or event class for `fields`, chosen as its ``parse_message`` does."""
    message_type = fields["MsgType"].lower()
    if message_type != "event" and not message_type.startswith("device_"):
        return MESSAGE_TYPES.get(message_type, UnknownMessage)(fields)
    event_type = fields["Event"].lower() if "Event" in fields else None
    if message_type.startswith("device_"):
        event_type = message_type if event_type is None else f"device_{event_type}"
    key = fields.get("EventKey")
    if event_type == "subscribe" and key:
        if key.startswith(("scanbarcode|", "scanimage|")):
            event_type = fields["Event"] = "subscribe_scan_product"
        elif key.startswith("qrscene_"):
            event_type = fields["Event"] = "subscribe_scan"
            fields["EventKey"] = key.removeprefix("qrscene_")
    return EVENT_TYPES.get(event_type, UnknownMessage)(fields)


def parse_inbound(body: bytes | str) -> Inbound:
    """Parse a plaintext (or decrypted safe-mode) message body.

    ``text`` is ``Content`` for text messages and ``Recognition`` for voice ("" when speech
    recognition is off or heard nothing); None for other kinds. Unknown ``MsgType`` values give
    ``kind="unknown"`` rather than an error, so new WeChat message types degrade gracefully.
    The whitespace around every field is trimmed, as wechatpy's own parser does.
    """
    try:
        message = _message(_fields(checked_xml(body)))
        create_time, msg_id = message.time, message.id
    except (ET.ParseError, ValueError, KeyError, TypeError, AttributeError):
        # Malformed XML and entities fail to parse; a missing or empty MsgType or Event, and
        # CreateTime or MsgId that are not integers, fail in wechatpy.
        raise BadMessage("malformed message") from None
    if not isinstance(create_time, int) or not 0 <= create_time < _MAX_TIME:
        raise BadMessage("invalid CreateTime")
    msg_id = 0 if msg_id is None else msg_id  # job-finish events carry MsgID, with no default
    if not isinstance(msg_id, int) or not 0 <= msg_id < _MAX_MSG_ID:
        raise BadMessage("invalid MsgId")
    kind = _kind(message)
    text: str | None = None
    if kind == "text":
        text = _text(message.content, "Content")
    elif kind == "voice":
        text = _text(message.recognition, "Recognition")
    event, event_key = _event(message) if kind == "event" else (None, None)
    return Inbound(
        kind=kind,
        user=_identifier(message.source, "FromUserName"),
        account=_identifier(message.target, "ToUserName"),
        create_time=create_time,
        msg_id=str(msg_id) if msg_id else None,
        text=text,
        event=event,
        event_key=event_key,
    )
