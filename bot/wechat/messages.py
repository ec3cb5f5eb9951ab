"""Inbound WeChat messages as one small immutable value.

The webhook hands the (decrypted) XML body to ``parse_inbound`` and gets an ``Inbound`` it can
route and de-duplicate without knowing WeChat's field names. Anything that is not a well-formed
message raises ``BadMessage``; the webhook answers ``success`` to it.
"""

import re
from dataclasses import dataclass

from bot.wechat.errors import BadMessage
from bot.wechat.xmlfields import parse_fields

KINDS = frozenset({"text", "voice", "image", "video", "shortvideo", "location", "link", "event"})
# openids are base64url-like, account ids are gh_<hex>; refusing anything else keeps ids safe to
# use inside Redis keys and log lines.
_ID = re.compile(r"[A-Za-z0-9_\-@.]{1,128}")
_INT = re.compile(r"[0-9]{1,12}")
_MSG_ID = re.compile(r"[0-9]{1,24}")


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


def _required(fields: dict[str, str], name: str) -> str:
    try:
        return fields[name]
    except KeyError:
        raise BadMessage(f"missing field {name}") from None


def _identifier(fields: dict[str, str], name: str) -> str:
    value = _required(fields, name).strip()
    if not _ID.fullmatch(value):
        raise BadMessage(f"invalid {name}")
    return value


def parse_inbound(body: bytes | str) -> Inbound:
    """Parse a plaintext (or decrypted safe-mode) message body.

    ``text`` is ``Content`` for text messages and ``Recognition`` for voice ("" when speech
    recognition is off or heard nothing); None for other kinds. Unknown ``MsgType`` values give
    ``kind="unknown"`` rather than an error, so new WeChat message types degrade gracefully.
    """
    fields = parse_fields(body)
    create_time = _required(fields, "CreateTime").strip()
    if not _INT.fullmatch(create_time):
        raise BadMessage("invalid CreateTime")
    msg_type = _required(fields, "MsgType").strip().lower()
    kind = msg_type if msg_type in KINDS else "unknown"
    msg_id = fields.get("MsgId", "").strip() or None
    if msg_id is not None and not _MSG_ID.fullmatch(msg_id):
        raise BadMessage("invalid MsgId")

    text: str | None = None
    if kind == "text":
        text = _required(fields, "Content")
    elif kind == "voice":
        text = fields.get("Recognition", "").strip()

    event: str | None = None
    event_key: str | None = None
    if kind == "event":
        event = _required(fields, "Event").strip().lower()
        if not event:
            raise BadMessage("empty Event")
        event_key = fields.get("EventKey", "").strip() or None

    return Inbound(
        kind=kind,
        user=_identifier(fields, "FromUserName"),
        account=_identifier(fields, "ToUserName"),
        create_time=int(create_time),
        msg_id=msg_id,
        text=text,
        event=event,
        event_key=event_key,
    )
