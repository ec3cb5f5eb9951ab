"""Field-level encryption and keyed pseudonyms for personal data at rest.

Everything personal that reaches Redis (conversation answers, drafts, outbox entries) goes through
`Sealer.seal`, AES-256-GCM with a key id prefix so keys can rotate: new data uses `DATA_KEY_ID`,
old data stays readable while its key is still listed in `DATA_KEYS`. `Sealer.pseudonym` turns an
openid or ID number into a stable HMAC so keys and indexes never carry the raw value (a plain hash
of an ID number can be brute-forced; an HMAC with a secret cannot).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.errors import ConfigError, SealError

_NONCE_BYTES = 12


def parse_keys(spec: str) -> dict[str, bytes]:
    """Parse `kid:base64key[,kid:base64key…]`; every key must be 32 bytes."""
    keys: dict[str, bytes] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kid, _, encoded = part.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise ConfigError(f"DATA_KEYS entry {kid!r} is not base64") from exc
        if len(key) != 32 or not kid or "." in kid:
            raise ConfigError(f"DATA_KEYS entry {kid!r} must be a 32-byte key with a dot-free id")
        keys[kid] = key
    return keys


class Sealer:
    """Encrypts and authenticates small values; the output is ASCII, safe for Redis and JSON."""

    def __init__(self, keys: dict[str, bytes], current: str, secret: str) -> None:
        if current not in keys:
            raise ConfigError("DATA_KEY_ID does not name a key in DATA_KEYS")
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.items()}
        self._current = current
        self._secret = hashlib.sha256(secret.encode()).digest()

    @classmethod
    def from_settings(cls, data_keys: str, data_key_id: str, secret_key: str) -> Sealer:
        return cls(parse_keys(data_keys), data_key_id, secret_key)

    def seal(self, plaintext: str | bytes, context: str = "") -> str:
        """Encrypt; `context` (e.g. the Redis key kind) is authenticated, so a value cannot be
        moved to another kind of record."""
        data = plaintext.encode() if isinstance(plaintext, str) else plaintext
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._current].encrypt(nonce, data, context.encode())
        return f"{self._current}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str | bytes, context: str = "") -> bytes:
        text = token.decode() if isinstance(token, bytes) else token
        kid, _, body = text.partition(".")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SealError("unknown data key id")
        try:
            raw = base64.urlsafe_b64decode(body)
            return cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError) as exc:
            raise SealError("sealed value failed authentication") from exc

    def open_text(self, token: str | bytes, context: str = "") -> str:
        return self.open(token, context).decode()

    def pseudonym(self, value: str, purpose: str = "user") -> str:
        """Stable keyed pseudonym: the same input gives the same output for one secret."""
        mac = hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]
