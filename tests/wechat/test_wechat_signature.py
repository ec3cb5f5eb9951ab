"""Signatures and timestamp freshness (bot/wechat/signature.py)."""

import pytest

from bot.wechat.signature import is_fresh, make_signature, verify_signature

# Tencent's official plain-mode sample.
TOKEN, TIMESTAMP, NONCE = "pamtest", "1409304348", "xxxxxx"
SAMPLE_SIGNATURE = "76480565cbe296026c53aaacd1ad523a1ddba24f"


def test_official_sample_signature() -> None:
    assert make_signature(TOKEN, TIMESTAMP, NONCE) == SAMPLE_SIGNATURE
    assert make_signature(NONCE, TOKEN, TIMESTAMP) == SAMPLE_SIGNATURE
    assert verify_signature(TOKEN, SAMPLE_SIGNATURE, TIMESTAMP, NONCE)


@pytest.mark.parametrize(
    ("token", "signature", "timestamp", "nonce"),
    [
        ("other", SAMPLE_SIGNATURE, TIMESTAMP, NONCE),
        (TOKEN, SAMPLE_SIGNATURE, "1409304349", NONCE),
        (TOKEN, SAMPLE_SIGNATURE, TIMESTAMP, "xxxxxy"),
        (TOKEN, SAMPLE_SIGNATURE[:-1] + "0", TIMESTAMP, NONCE),
        (TOKEN, SAMPLE_SIGNATURE.upper(), TIMESTAMP, NONCE),
        (TOKEN, "", TIMESTAMP, NONCE),
        (TOKEN, "签名" * 20, TIMESTAMP, NONCE),
        (TOKEN, "\ud800", TIMESTAMP, NONCE),
    ],
)
def test_signature_mismatch_is_false_not_an_error(
    token: str, signature: str, timestamp: str, nonce: str
) -> None:
    assert verify_signature(token, signature, timestamp, nonce) is False


def test_sha1_of_the_sorted_concatenation() -> None:
    # sorted("b", "a", "c") -> "abc"; sha1("abc") is the FIPS 180 test vector.
    assert make_signature("b", "a", "c") == "a9993e364706816aba3e25717850c26c9cd0d89d"


NOW = 1_700_000_000.0


@pytest.mark.parametrize("timestamp", ["1700000000", "1699999700", "1700000300"])
def test_fresh_within_window(timestamp: str) -> None:
    assert is_fresh(timestamp, NOW, 300)


@pytest.mark.parametrize(
    "timestamp",
    [
        "1699999699",  # stale
        "1700000301",  # future
        "0",
        "",
        "abc",
        "-1700000000",
        "+1700000000",
        " 1700000000",
        "1700000000\n",
        "1_700_000_000",
        "１７００００００００",  # full-width digits: int() accepts them, WeChat never sends them
        "1.7e9",
        "1700000000.0",
        "9" * 40,
    ],
)
def test_stale_future_or_not_a_number(timestamp: str) -> None:
    assert is_fresh(timestamp, NOW, 300) is False


def test_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # wechatpy compares with `!=`, which stops at the first differing character.
    from bot.wechat import signature
    from bot.wechat.crypto import SafeModeCrypto

    seen: list[tuple[bytes, bytes]] = []

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return a == b

    monkeypatch.setattr(signature.hmac, "compare_digest", spy)
    assert verify_signature(TOKEN, SAMPLE_SIGNATURE, TIMESTAMP, NONCE)
    assert seen == [(SAMPLE_SIGNATURE.encode(), SAMPLE_SIGNATURE.encode())]
    crypto = SafeModeCrypto(TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6")
    with pytest.raises(Exception, match="msg_signature"):
        crypto.decrypt("<xml><Encrypt>abc</Encrypt></xml>", "0" * 40, TIMESTAMP, NONCE)
    assert seen[1] == (make_signature(TOKEN, TIMESTAMP, NONCE, "abc").encode(), b"0" * 40)
