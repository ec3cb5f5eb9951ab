"""The service's own exception hierarchy (httpx style): small, explicit, and free of personal data.

Messages name what failed, never the values involved, because exceptions reach logs. Every
exception raised on purpose anywhere in `bot/` derives from `BotError` (tests/test_errors.py).
"""


class BotError(Exception):
    """Base for every error this service raises on purpose."""


class ConfigError(BotError):
    """The settings cannot run the requested mode (e.g. production with placeholders)."""


class Busy(BotError):
    """The service cannot take this request now; callers answer "系统繁忙" (or 503) quickly."""


class StorageUnavailable(Busy):
    """Redis refused, timed out or answered garbage; callers answer "系统繁忙" quickly."""


class Limited(BotError):
    """A rate limit refused the event before any work ran; `retry_after` seconds until one more
    is allowed (a number, never who was limited)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


class Claimed(BotError):
    """Another delivery of the same message holds its claim: `held` is what holds the key (that
    delivery's lease, or the reply it stored). Raised before the turn joins its queue."""

    def __init__(self, held: bytes) -> None:
        super().__init__("the message is claimed by another delivery")
        self.held = held


class SealError(BotError):
    """Encrypted data could not be opened: wrong key id, tampered or truncated."""


class DataError(BotError, ValueError):
    """A data file the service is built from (knowledge, cues, word lists, parameters, phone
    numbers) is malformed; the message names the file and the place, so `check` can print it."""
