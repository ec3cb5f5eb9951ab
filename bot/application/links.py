"""Signed, expiring links to one resident's application page, and the viewer cookie after OAuth.

Why: H5 links get forwarded into family group chats. A link names only ids (the record id and the
resident's keyed pseudonym, never a name or number), carries an expiry, and is authenticated with
an HMAC under a key derived from SECRET_KEY, so it cannot be altered, extended or pointed at
someone else's record. Every failure reads the same (`None`), so the page answers one 404 for all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from bot.settings import Settings

_VERSION = "v1"
_MAC_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Claim:
    subject: str  # the record id (links) or the viewer's pseudonym (cookies)
    user_key: str
    expires: int


class Signer:
    """`v1.<claims>.<mac>`; `purpose` keeps page links and viewer cookies from standing in for each other."""

    def __init__(self, secret: str, purpose: str, ttl: int) -> None:
        self._key = hashlib.sha256(f"signed-links:{purpose}:{secret}".encode()).digest()
        self.ttl = ttl

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, f"{_VERSION}.{body}".encode(), hashlib.sha256).digest()[:_MAC_BYTES])

    def sign(self, subject: str, user_key: str, now: float | None = None) -> str:
        expires = int((now if now is not None else time.time()) + self.ttl)
        body = _b64(json.dumps([subject, user_key, expires], separators=(",", ":")).encode())
        return f"{_VERSION}.{body}.{self._mac(body)}"

    def verify(self, token: str, now: float | None = None) -> Claim | None:
        version, _, rest = token.partition(".")
        body, _, mac = rest.partition(".")
        if version != _VERSION or not body or not hmac.compare_digest(mac.encode(), self._mac(body).encode()):
            return None
        try:
            subject, user_key, expires = json.loads(_unb64(body))
        except (ValueError, TypeError):
            return None
        if not (isinstance(subject, str) and isinstance(user_key, str) and isinstance(expires, int)):
            return None
        if expires <= (now if now is not None else time.time()):
            return None
        return Claim(subject, user_key, expires)


def page_signer(settings: Settings) -> Signer:
    return Signer(settings.secret_key, "application-page", settings.link_ttl)


def viewer_signer(settings: Settings) -> Signer:
    return Signer(settings.secret_key, "application-viewer", settings.link_ttl)


def page_url(settings: Settings, app_id: str, user_key: str) -> str:
    """A fresh link to the record's page, valid for LINK_TTL."""
    return f"{settings.public_base_url.rstrip('/')}/a/{page_signer(settings).sign(app_id, user_key)}"


def staff_url(settings: Settings, app_id: str) -> str:
    """Where township staff open the same record (behind their login); encoded in the page's QR code."""
    return f"{settings.public_base_url.rstrip('/')}/staff/applications/{app_id}"
