"""Signed page links: valid ones open, anything altered, expired or re-purposed does not."""

from bot.application.links import Signer, page_url
from bot.settings import Settings

NOW = 1_750_000_000.0


def signer(secret: str = "s" * 40, purpose: str = "application-page", ttl: int = 3600) -> Signer:
    return Signer(secret, purpose, ttl)


def test_round_trip_and_expiry() -> None:
    token = signer().sign("rec1", "user1", now=NOW)
    claim = signer().verify(token, now=NOW + 3599)
    assert claim is not None and (claim.subject, claim.user_key) == ("rec1", "user1")
    assert claim.expires == int(NOW) + 3600
    assert signer().verify(token, now=NOW + 3600) is None


def test_every_altered_character_is_refused() -> None:
    token = signer().sign("rec1", "user1", now=NOW)
    for i, ch in enumerate(token):
        if ch == ".":
            continue
        swapped = "A" if ch != "A" else "B"
        assert signer().verify(token[:i] + swapped + token[i + 1:], now=NOW) is None, i


def test_other_secret_or_purpose_is_refused() -> None:
    token = signer().sign("rec1", "user1", now=NOW)
    assert signer(secret="t" * 40).verify(token, now=NOW) is None
    assert signer(purpose="application-viewer").verify(token, now=NOW) is None
    assert signer().verify("", now=NOW) is None
    assert signer().verify("v1..", now=NOW) is None


def test_page_url_carries_ids_only() -> None:
    settings = Settings(_env_file=None, public_base_url="https://assist.example.cn/")
    url = page_url(settings, "rec1", "user1")
    assert url.startswith("https://assist.example.cn/a/v1.")
    assert "?" not in url
