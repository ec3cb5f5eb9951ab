import base64

import pytest

from bot.crypto import Sealer, parse_keys
from bot.errors import ConfigError, SealError

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()


def sealer(spec: str, current: str) -> Sealer:
    return Sealer(parse_keys(spec), current, "secret")


def test_round_trip_hides_plaintext() -> None:
    s = sealer(f"k1:{KEY_A}", "k1")
    token = s.seal("530428199001011234 张三", "sess")
    assert "5304" not in token and "张三" not in token
    assert s.open_text(token, "sess") == "530428199001011234 张三"


def test_context_is_authenticated() -> None:
    s = sealer(f"k1:{KEY_A}", "k1")
    with pytest.raises(SealError):
        s.open(s.seal("x", "sess"), "app")


def test_tampering_is_detected() -> None:
    s = sealer(f"k1:{KEY_A}", "k1")
    token = s.seal("hello")
    kid, body = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(SealError):
        s.open(f"{kid}.{base64.urlsafe_b64encode(bytes(raw)).decode()}")


def test_rotation_keeps_old_data_readable() -> None:
    old = sealer(f"k1:{KEY_A}", "k1")
    token = old.seal("before rotation")
    new = sealer(f"k1:{KEY_A},k2:{KEY_B}", "k2")
    assert new.open_text(token) == "before rotation"
    assert new.seal("after").startswith("k2.")
    retired = sealer(f"k2:{KEY_B}", "k2")
    with pytest.raises(SealError):
        retired.open(token)


def test_pseudonym_is_keyed_and_stable() -> None:
    a = Sealer(parse_keys(f"k1:{KEY_A}"), "k1", "secret-one")
    b = Sealer(parse_keys(f"k1:{KEY_A}"), "k1", "secret-two")
    assert a.pseudonym("oUser") == a.pseudonym("oUser")
    assert a.pseudonym("oUser") != b.pseudonym("oUser")
    assert a.pseudonym("oUser", "user") != a.pseudonym("oUser", "dedup")


@pytest.mark.parametrize("spec", ["k1:notbase64!!", f"k1:{base64.b64encode(b'short').decode()}", f":{KEY_A}"])
def test_bad_keys_are_refused(spec: str) -> None:
    with pytest.raises(ConfigError):
        parse_keys(spec)


def test_current_key_must_exist() -> None:
    with pytest.raises(ConfigError):
        sealer(f"k1:{KEY_A}", "k9")
