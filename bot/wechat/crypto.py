"""WeChat safe mode (``encrypt_type=aes``) through wechatpy's ``WeChatCrypto``.

Format: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding to
32-byte blocks over 16 random bytes + 4-byte big-endian length + message + appid.

What this wrapper adds: the envelope passes the XML gate; ``msg_signature`` is compared in constant
time before wechatpy decrypts (wechatpy compares with ``!=``); nonce and timestamp are held to
WeChat's shapes, because wechatpy writes them into the reply envelope unescaped; and wechatpy's
assorted failures become ``CryptoError``. wechatpy checks neither the PKCS#7 padding nor the length
prefix: the signature, keyed by the secret token, is the integrity check, and the appid tail it
does check catches a ciphertext altered by someone who knows the token.
"""

import re
import secrets
import struct

from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException

from bot.wechat.errors import BadMessage, CryptoError, InvalidSignature
from bot.wechat.signature import make_signature, same_signature
from bot.wechat.xmlfields import read_fields

_AES_KEY = re.compile(r"[A-Za-z0-9+/]{43}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_NONCE = re.compile(r"[A-Za-z0-9_\-]{1,64}")


class _Prp(PrpCrypto):  # type: ignore[misc]
    # wechatpy draws the 16-character random prefix with random.sample (a Mersenne Twister, no
    # character twice, and a third of the cost of an encryption); secrets is a CSPRNG.
    def get_random_string(self) -> str:
        return secrets.token_hex(8)


class _Crypto(WeChatCrypto):  # type: ignore[misc]
    # wechatpy builds a new cipher object for every message; one per account does (each call
    # still gets its own encryption context, so threads may share it).
    def __init__(self, token: str, encoding_aes_key: str, appid: str) -> None:
        super().__init__(token, encoding_aes_key, appid)
        self._prp = _Prp(self.key)

    def encrypt_message(self, msg: str, nonce: str, timestamp: str | None = None) -> str:
        return str(self._encrypt_message(msg, nonce, timestamp, lambda _key: self._prp))

    def decrypt_checked(self, encrypted: str) -> str:
        """Decrypt an ``Encrypt`` value whose signature was already checked (in constant time)."""
        return str(self._prp.decrypt(encrypted, self.app_id))


class SafeModeCrypto:
    """Encrypts and decrypts for one official account."""

    def __init__(self, token: str, encoding_aes_key: str, appid: str) -> None:
        if not _AES_KEY.fullmatch(encoding_aes_key):
            raise CryptoError("EncodingAESKey must be 43 base64 characters")
        self._token = token
        self._crypto = _Crypto(token, encoding_aes_key, appid)

    def decrypt(self, body: bytes | str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """Check ``msg_signature`` over the ``Encrypt`` field of ``body``; return the inner XML."""
        encrypted = read_fields(body).get("Encrypt", "").strip()
        if not encrypted:
            raise BadMessage("missing field Encrypt")
        expected = make_signature(self._token, timestamp, nonce, encrypted)
        if not same_signature(expected, msg_signature):
            raise InvalidSignature("msg_signature does not match")
        if not (_TIMESTAMP.fullmatch(timestamp) and _NONCE.fullmatch(nonce)):
            raise CryptoError("timestamp or nonce could not be echoed in a reply")
        try:
            return self._crypto.decrypt_checked(encrypted)
        except InvalidAppIdException:
            raise CryptoError("appid does not match") from None
        except (ValueError, IndexError, struct.error):  # base64, block length, UTF-8, length prefix
            raise CryptoError("ciphertext does not decrypt") from None

    def encrypt(self, reply_xml: str, timestamp: str, nonce: str) -> str:
        """The encrypted reply envelope (Encrypt, MsgSignature, TimeStamp, Nonce) for ``reply_xml``."""
        if not (_TIMESTAMP.fullmatch(timestamp) and _NONCE.fullmatch(nonce)):
            raise CryptoError("timestamp must be decimal seconds and nonce a plain token")
        return self._crypto.encrypt_message(reply_xml, nonce, timestamp)
