"""WeChat request signatures and timestamp freshness.

WeChat signs every callback with sha1 over the sorted token, timestamp and nonce (and, in safe mode,
the ``Encrypt`` payload). Comparisons are constant-time; wechatpy's are not.
"""

import hashlib
import hmac
import re

_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def make_signature(*parts: str) -> str:
    """sha1 hex digest of the parts sorted as strings and concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def verify_signature(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """True when ``signature`` is WeChat's signature of (token, timestamp, nonce)."""
    expected = make_signature(token, timestamp, nonce)
    return hmac.compare_digest(expected.encode("utf-8"), signature.encode("utf-8", "surrogatepass"))


def is_fresh(timestamp: str, now: float, window: int) -> bool:
    """True when ``timestamp`` is plain decimal seconds within ``window`` of ``now`` either way.

    Signs, spaces, underscores and non-ASCII digits (all accepted by ``int()``) are refused.
    """
    if not _TIMESTAMP.fullmatch(timestamp):
        return False
    return abs(int(timestamp) - now) <= window
