"""Safe-mode encryption (bot/wechat/crypto.py, on wechatpy's WeChatCrypto)."""

import base64

import pytest

from bot.wechat import crypto as crypto_module
from bot.wechat.crypto import SafeModeCrypto
from bot.wechat.errors import BadMessage, CryptoError, InvalidSignature
from bot.wechat.signature import make_signature
from bot.wechat.xmlfields import read_fields

# Tencent's official sample (Java demo).
TOKEN = "pamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wxb11529c136998cb6"
SAMPLE_PLAIN = "我是中文abcd123"
SAMPLE_CIPHER = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
TIMESTAMP, NONCE = "1409304348", "xxxxxx"
INNER = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>"
    "<CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[低保怎么申请]]></Content><MsgId>6054768590064713728</MsgId></xml>"
)


@pytest.fixture
def crypto() -> SafeModeCrypto:
    return SafeModeCrypto(TOKEN, AES_KEY, APPID)


def callback_body(encrypted: str) -> str:
    account = "<ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
    return f"<xml>{account}<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"


def test_official_sample_vector(crypto: SafeModeCrypto, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto_module._Prp, "get_random_string", lambda _self: "aaaabbbbccccdddd")
    fields = read_fields(crypto.encrypt(SAMPLE_PLAIN, TIMESTAMP, NONCE))
    assert fields["Encrypt"] == SAMPLE_CIPHER
    assert fields["MsgSignature"] == make_signature(TOKEN, TIMESTAMP, NONCE, SAMPLE_CIPHER)
    signature = make_signature(TOKEN, TIMESTAMP, NONCE, SAMPLE_CIPHER)
    assert crypto.decrypt(callback_body(SAMPLE_CIPHER), signature, TIMESTAMP, NONCE) == SAMPLE_PLAIN


def test_round_trip_through_the_reply_envelope(crypto: SafeModeCrypto) -> None:
    envelope = crypto.encrypt(INNER, TIMESTAMP, NONCE)
    fields = read_fields(envelope)
    assert set(fields) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    assert fields["TimeStamp"] == TIMESTAMP and fields["Nonce"] == NONCE
    assert fields["MsgSignature"] == make_signature(TOKEN, TIMESTAMP, NONCE, fields["Encrypt"])
    assert crypto.decrypt(envelope.encode(), fields["MsgSignature"], TIMESTAMP, NONCE) == INNER


def decrypt_envelope(crypto: SafeModeCrypto, envelope: str) -> str:
    signature = read_fields(envelope)["MsgSignature"]
    return crypto.decrypt(envelope, signature, TIMESTAMP, NONCE)


def test_random_prefix_makes_each_ciphertext_different(crypto: SafeModeCrypto) -> None:
    first, second = crypto.encrypt(INNER, TIMESTAMP, NONCE), crypto.encrypt(INNER, TIMESTAMP, NONCE)
    assert read_fields(first)["Encrypt"] != read_fields(second)["Encrypt"]
    assert decrypt_envelope(crypto, first) == decrypt_envelope(crypto, second) == INNER


@pytest.mark.parametrize("nonce", ["a]]></Nonce><Encrypt>x</Encrypt><Nonce><![CDATA[b", "", "n" * 65, "随机"])
def test_a_nonce_wechatpy_would_write_unescaped_is_refused(crypto: SafeModeCrypto, nonce: str) -> None:
    # wechatpy puts the nonce into the reply envelope as it is: a ]]> would write XML there.
    with pytest.raises(CryptoError):
        crypto.encrypt(INNER, TIMESTAMP, nonce)
    signature = make_signature(TOKEN, TIMESTAMP, nonce, SAMPLE_CIPHER)
    with pytest.raises(CryptoError):
        crypto.decrypt(callback_body(SAMPLE_CIPHER), signature, TIMESTAMP, nonce)


def test_tampered_ciphertext_fails_the_signature(crypto: SafeModeCrypto) -> None:
    signature = make_signature(TOKEN, TIMESTAMP, NONCE, SAMPLE_CIPHER)
    raw = bytearray(base64.b64decode(SAMPLE_CIPHER))
    raw[5] ^= 0x01
    tampered = base64.b64encode(raw).decode()
    with pytest.raises(InvalidSignature):
        crypto.decrypt(callback_body(tampered), signature, TIMESTAMP, NONCE)


@pytest.mark.parametrize("position", [-1, -17, -33])
def test_tampered_ciphertext_with_forged_signature_fails_to_decrypt(
    crypto: SafeModeCrypto, position: int
) -> None:
    # Someone who knows the token can re-sign, but flipping bits in the last blocks breaks the
    # padding or the appid tail. (CBC without a MAC cannot detect every change: the signature,
    # keyed by the secret token, is the integrity check.)
    raw = bytearray(base64.b64decode(SAMPLE_CIPHER))
    raw[position] ^= 0x80
    tampered = base64.b64encode(raw).decode()
    signature = make_signature(TOKEN, TIMESTAMP, NONCE, tampered)
    with pytest.raises(CryptoError):
        crypto.decrypt(callback_body(tampered), signature, TIMESTAMP, NONCE)


@pytest.mark.parametrize("encrypted", ["not base64!", "YWJj", SAMPLE_CIPHER[:-8] + "========", "AAAA" * 3])
def test_garbage_ciphertext_is_a_crypto_error(crypto: SafeModeCrypto, encrypted: str) -> None:
    signature = make_signature(TOKEN, TIMESTAMP, NONCE, encrypted)
    with pytest.raises(CryptoError):
        crypto.decrypt(callback_body(encrypted), signature, TIMESTAMP, NONCE)


def test_wrong_appid_is_refused(crypto: SafeModeCrypto) -> None:
    other = SafeModeCrypto(TOKEN, AES_KEY, "wx0000000000000000")
    encrypted = read_fields(other.encrypt(INNER, TIMESTAMP, NONCE))["Encrypt"]
    signature = make_signature(TOKEN, TIMESTAMP, NONCE, encrypted)
    with pytest.raises(CryptoError, match="appid"):
        crypto.decrypt(callback_body(encrypted), signature, TIMESTAMP, NONCE)


def test_wrong_msg_signature(crypto: SafeModeCrypto) -> None:
    with pytest.raises(InvalidSignature):
        crypto.decrypt(callback_body(SAMPLE_CIPHER), "0" * 40, TIMESTAMP, NONCE)
    signature = make_signature(TOKEN, TIMESTAMP, NONCE, SAMPLE_CIPHER)
    with pytest.raises(InvalidSignature):
        crypto.decrypt(callback_body(SAMPLE_CIPHER), signature, "1409304349", NONCE)


@pytest.mark.parametrize(
    "body",
    [
        "<xml><ToUserName>gh</ToUserName></xml>",
        "<xml><Encrypt></Encrypt></xml>",
        "not xml",
        '<!DOCTYPE xml [<!ENTITY e "x">]><xml><Encrypt>&e;</Encrypt></xml>',
        "<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>",
        "<xml><Encrypt><A>nested</A></Encrypt></xml>",
        "<other><Encrypt>x</Encrypt></other>",
    ],
)
def test_malformed_envelope_is_a_bad_message(crypto: SafeModeCrypto, body: str) -> None:
    with pytest.raises(BadMessage):
        crypto.decrypt(body, "0" * 40, TIMESTAMP, NONCE)


@pytest.mark.parametrize("key", ["", AES_KEY[:-1], AES_KEY + "H", AES_KEY[:-1] + "!", AES_KEY[:-1] + "="])
def test_bad_encoding_aes_key(key: str) -> None:
    with pytest.raises(CryptoError):
        SafeModeCrypto(TOKEN, key, APPID)


def test_encrypt_refuses_a_non_numeric_timestamp(crypto: SafeModeCrypto) -> None:
    with pytest.raises(CryptoError):
        crypto.encrypt(INNER, "1409304348<x/>", NONCE)


def test_the_random_prefix_comes_from_a_csprng(crypto: SafeModeCrypto,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[int] = []
    real = crypto_module.secrets.token_hex

    def spy(n: int) -> str:
        drawn.append(n)
        return real(n)

    monkeypatch.setattr(crypto_module.secrets, "token_hex", spy)
    decrypt_envelope(crypto, crypto.encrypt(INNER, TIMESTAMP, NONCE))
    assert drawn == [8]  # 16 hex characters: the 16-byte prefix
