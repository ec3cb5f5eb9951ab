"""Logging that cannot leak ID numbers or phone numbers.

Code never logs names, incomes or answers; this filter is the second line of defence: any
18-character ID number or mainland mobile number that reaches a log record, in the message or its
arguments, is masked before a handler sees it.
"""

from __future__ import annotations

import logging
import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask(text: str) -> str:
    """`530428199001011234` → `530428********1234`; `13912345678` → `139****5678`."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        return True


def configure_logging(level: str = "INFO") -> None:
    """Root logging with the masking filter on every handler (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root.setLevel(level)
    # Both log request URLs (httpx at INFO, urllib3 under requests/wechatpy at DEBUG), and Tencent's
    # token URL carries the AppSecret.
    for name in ("httpx", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
