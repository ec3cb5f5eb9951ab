"""Exceptions of the WeChat transport layer.

One small hierarchy, under the service's root ``BotError``, so the webhook can catch
``WeChatError`` as a whole, or tell a forged request (403) from a malformed one (200 ``success``)
from a failing Tencent API call. wechatpy's own exceptions never leave this package: the wrappers
turn them into these. Messages never carry message content, openids, secrets or request URLs.
"""

from bot.errors import BotError


class WeChatError(BotError):
    """Base class of everything this package raises on purpose."""


class InvalidSignature(WeChatError):
    """``signature`` or ``msg_signature`` does not match: the request is not from WeChat."""


class BadMessage(WeChatError):
    """The body is not a well-formed WeChat message (bad XML, a DOCTYPE, missing or odd fields)."""


class CryptoError(WeChatError):
    """Safe-mode (AES) key, ciphertext, padding or appid is wrong."""


class APIError(WeChatError):
    """Tencent's HTTP API refused a call or could not be reached.

    ``errcode`` is Tencent's numeric code, or None when there was no usable answer
    (network failure, HTTP error, a body that is not JSON).
    """

    def __init__(self, message: str, errcode: int | None = None, errmsg: str = "") -> None:
        super().__init__(message)
        self.errcode = errcode
        self.errmsg = errmsg
