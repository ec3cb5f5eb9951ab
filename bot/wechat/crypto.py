"""WeChat safe mode (``encrypt_type=aes``): decrypt callbacks, encrypt replies.

A small implementation on ``cryptography`` rather than wechatpy's so signatures are compared in
constant time, every failure is a ``CryptoError``/``InvalidSignature`` of our own, and the outer
envelope goes through the same hardened XML reader as messages.

Format: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding to
32-byte blocks over 16 random bytes + 4-byte big-endian length + message + appid.
"""

import base64
import binascii
import hmac
import os
import re
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.wechat.errors import BadMessage, CryptoError, InvalidSignature
from bot.wechat.replies import escape_cdata
from bot.wechat.signature import make_signature
from bot.wechat.xmlfields import parse_fields

_BLOCK = 32
_AES_KEY = re.compile(r"[A-Za-z0-9+/]{43}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class SafeModeCrypto:
    """Encrypts and decrypts for one official account."""

    def __init__(self, token: str, encoding_aes_key: str, appid: str) -> None:
        if not _AES_KEY.fullmatch(encoding_aes_key):
            raise CryptoError("EncodingAESKey must be 43 base64 characters")
        self._key = base64.b64decode(encoding_aes_key + "=")
        self._token = token
        self._appid = appid.encode("utf-8")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def decrypt(self, body: bytes | str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """Check ``msg_signature`` over the ``Encrypt`` field of ``body``; return the inner XML."""
        encrypted = parse_fields(body).get("Encrypt")
        if not encrypted:
            raise BadMessage("missing field Encrypt")
        expected = make_signature(self._token, timestamp, nonce, encrypted).encode("utf-8")
        if not hmac.compare_digest(expected, msg_signature.encode("utf-8", "surrogatepass")):
            raise InvalidSignature("msg_signature does not match")
        return self.decrypt_payload(encrypted)

    def decrypt_payload(self, encrypted: str) -> str:
        """Decrypt a base64 ``Encrypt`` value (signature already checked)."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError("ciphertext is not base64") from None
        if not data or len(data) % 16:
            raise CryptoError("ciphertext length is not a multiple of the AES block")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= _BLOCK or pad > len(plain) or plain[-pad:] != bytes([pad]) * pad:
            raise CryptoError("bad padding")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise CryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        message, appid = plain[20 : 20 + length], plain[20 + length :]
        if len(message) != length:
            raise CryptoError("length prefix exceeds the plaintext")
        if not hmac.compare_digest(appid, self._appid):
            raise CryptoError("appid does not match")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError:
            raise CryptoError("message is not UTF-8") from None

    def encrypt_payload(self, message: str, random16: bytes | None = None) -> str:
        """The base64 ``Encrypt`` value for ``message``."""
        random16 = os.urandom(16) if random16 is None else random16
        if len(random16) != 16:
            raise CryptoError("random prefix must be 16 bytes")
        raw = message.encode("utf-8")
        plain = random16 + struct.pack(">I", len(raw)) + raw + self._appid
        pad = _BLOCK - len(plain) % _BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def encrypt(self, reply_xml: str, timestamp: str, nonce: str, random16: bytes | None = None) -> str:
        """The encrypted reply envelope (Encrypt, MsgSignature, TimeStamp, Nonce) for ``reply_xml``."""
        if not _TIMESTAMP.fullmatch(timestamp):
            raise CryptoError("timestamp must be decimal seconds")
        encrypted = self.encrypt_payload(reply_xml, random16)
        signature = make_signature(self._token, timestamp, nonce, encrypted)
        return (
            f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{signature}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp>"
            f"<Nonce><![CDATA[{escape_cdata(nonce)}]]></Nonce></xml>"
        )
