"""Whether a configured secret is real: WeChat's formats, and enough randomness for keys.

Production refuses placeholders, but an operator in a hurry types `aaaa…` or a word repeated to
reach the length. These checks are deliberately simple and explainable: the WeChat Token and
EncodingAESKey must have the shape Tencent's console enforces, and a secret must carry enough
estimated entropy (characters seen in it × length, never more than its Shannon content) and must
not repeat a shorter pattern. Random values made as the README says always pass.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter

WECHAT_TOKEN = re.compile(r"[A-Za-z0-9]{3,32}")  # the console's rule for the Token
WECHAT_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")  # EncodingAESKey: 43 letters and digits
MIN_SECRET_BITS = 85  # random: token_urlsafe(32) ≈ 200 bits here, 32 hex digits ≈ 115 (≥ 87 seen)
MIN_KEY_BITS = 120  # a random 32-byte key: Shannon estimate about 150


def shannon_bits(data: str | bytes) -> float:
    """Total Shannon information of `data` judged by its own symbol frequencies."""
    if not data:
        return 0.0
    counts = Counter(data)
    size = len(data)
    return -sum(n * math.log2(n / size) for n in counts.values())


def periodic(data: str | bytes) -> bool:
    """True when `data` is a shorter piece repeated (`abcabcabc`, `aaaa`)."""
    size = len(data)
    return any(size % period == 0 and data == data[:period] * (size // period)
               for period in range(1, size // 2 + 1))


def weak_secret(value: str, min_length: int = 32) -> bool:
    """True when a text secret (SECRET_KEY, API_KEY) is too short or too predictable."""
    return len(value) < min_length or periodic(value) or shannon_bits(value) < MIN_SECRET_BITS


def weak_data_key(encoded: str) -> bool:
    """True when a DATA_KEYS key (base64 of 32 bytes) does not look random.

    32 random bytes are all printable ASCII with probability about 1e-14, so such a key was typed
    by a person (like the development key); low entropy or a repeated pattern also fail.
    """
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return True
    printable = all(32 <= byte < 127 for byte in key)
    return len(key) != 32 or printable or periodic(key) or shannon_bits(key) < MIN_KEY_BITS
