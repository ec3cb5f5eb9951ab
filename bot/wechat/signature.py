"""WeChat request signatures and timestamp freshness.

WeChat signs every callback with sha1 over the sorted token, timestamp and nonce (and, in safe mode,
the ``Encrypt`` payload); wechatpy's ``WeChatSigner`` computes it. Comparisons are constant-time:
wechatpy's ``check_signature`` and ``WeChatCrypto`` compare with ``!=``.
"""

import hmac
import re

from wechatpy.utils import WeChatSigner

_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def make_signature(*parts: str) -> str:
    """sha1 hex digest of the parts sorted and concatenated."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    return str(signer.signature)


def verify_signature(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """True when ``signature`` is WeChat's signature of (token, timestamp, nonce)."""
    return same_signature(make_signature(token, timestamp, nonce), signature)


def same_signature(expected: str, given: str) -> bool:
    """Constant-time comparison of a computed signature with the one a request carries."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "surrogatepass"))


def is_fresh(timestamp: str, now: float, window: int) -> bool:
    """True when ``timestamp`` is plain decimal seconds within ``window`` of ``now`` either way.

    Signs, spaces, underscores and non-ASCII digits (all accepted by ``int()``) are refused.
    """
    if not _TIMESTAMP.fullmatch(timestamp):
        return False
    return abs(int(timestamp) - now) <= window
