"""What the load generators send: residents' messages as WeChat posts them in safe mode.

Every request carries a valid URL signature, a fresh timestamp and a `msg_signature` over the
encrypted body, so it passes every check of the real webhook. The mix for the closed loop (`wrk`):
policy questions from the knowledge development set, voice messages (WeChat's recognition text),
menu clicks, and retries of an earlier MsgId (WeChat's redelivery, a few hundred requests later,
answered from the stored reply). Conversations (`conversations`) are whole self-screening
questionnaires followed by an application, from the dialogue development set's personas; they
need a generator that reads each reply, so they are not part of the `wrk` file.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "benchtoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wxb11529c136998cb6"
ACCOUNT = "gh_bench0000001"
RETRY_SHARE = 0.05  # share of requests that repeat an earlier MsgId
RETRY_GAP = 400  # requests between a message and its retry (WeChat retries after ~5 s)
VOICE_SHARE = 0.15
CLICK_SHARE = 0.05
CLICKS = ("qa", "contact", "help", "screening")
ANSWER_ORDER = ("consent", "place", "age", "household", "health", "work", "income", "pension",
                "savings", "house", "car", "current", "supporters", "emergency", "medical_spending")
APPLICATION_ORDER = ("township", "village", "name", "phone")


def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return str(signer.signature)


@dataclass(frozen=True)
class Signed:
    """One request as WeChat sends it: the path with its query, and the encrypted envelope."""

    path: str
    body: str

    def http(self, host: str) -> bytes:
        content = self.body.encode()
        return (f"POST {self.path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml\r\n"
                f"Content-Length: {len(content)}\r\n\r\n").encode() + content


class Sealer:
    """Encrypts and signs inner XML for one account, as WeChat's servers do."""

    def __init__(self) -> None:
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)

    def sign(self, inner: str, nonce: str) -> Signed:
        ts = str(int(time.time()))
        envelope = self.crypto.encrypt_message(inner, nonce, ts)
        value = envelope.split("<Encrypt><![CDATA[", 1)[1].split("]]>", 1)[0]
        query = {"signature": signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
                 "openid": "x", "encrypt_type": "aes", "msg_signature": signature(TOKEN, ts, nonce, value)}
        body = (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
                f"<Encrypt><![CDATA[{value}]]></Encrypt></xml>")
        return Signed("/wechat?" + urlencode(query), body)

    def open_reply(self, xml: str, nonce: str, timestamp: str, msg_signature: str) -> str:
        return str(self.crypto.decrypt_message(xml, msg_signature, timestamp, nonce))


def text_xml(user: str, msg_id: int, text: str, voice: bool = False) -> str:
    now = int(time.time())
    head = (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
            f"</FromUserName><CreateTime>{now}</CreateTime>")
    if voice:
        return (head + "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media]]></MediaId>"
                "<Format><![CDATA[amr]]></Format>"
                f"<Recognition><![CDATA[{text}]]></Recognition><MsgId>{msg_id}</MsgId></xml>")
    return (head + f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
            f"<MsgId>{msg_id}</MsgId></xml>")


def click_xml(user: str, key: str) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]>"
            f"</MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>")


def questions() -> list[str]:
    """The residents' policy questions of the knowledge development set."""
    items = yaml.safe_load((ROOT / "tests/knowledge/devset.yaml").read_text(encoding="utf-8"))
    return [item["q"] for item in items]


def closed_loop(count: int, first_id: int, residents: int, seed: int = 1) -> list[Signed]:
    """`count` pre-signed requests from `residents` residents for the closed loop."""
    rng = random.Random(seed)
    asked = questions()
    sealer = Sealer()
    out: list[Signed] = []
    for i in range(count):
        if i >= RETRY_GAP and rng.random() < RETRY_SHARE:
            out.append(out[i - RETRY_GAP])  # the same MsgId, signature and body again
            continue
        user = f"oLoad{first_id % 1000:03d}r{rng.randrange(residents):05d}"
        roll = rng.random()
        if roll < CLICK_SHARE:  # events carry no MsgId: user + time + key de-duplicate them
            inner = click_xml(user, rng.choice(CLICKS))
        else:
            inner = text_xml(user, first_id + i, rng.choice(asked), voice=roll < CLICK_SHARE + VOICE_SHARE)
        out.append(sealer.sign(inner, f"n{i}"))
    return out


def write_requests(requests: list[Signed], path: Path) -> None:
    """One request a line for `presigned.lua`: the path, a tab, the body."""
    path.write_text("".join(f"{r.path}\t{r.body}\n" for r in requests), encoding="utf-8")


def conversations() -> list[list[str]]:
    """Each persona's messages: opening, the questionnaire's answers in its order, then applying."""
    personas = yaml.safe_load((ROOT / "tests/dialogs/devsets/conversations.yaml").read_text(encoding="utf-8"))
    scripts = []
    for persona in personas:
        answers = persona.get("answers", {})
        members = [v for k, v in answers.items() if ":" in k]  # member_age:m1, school:m1, …
        said = [persona.get("opening", "你好"), "自测"] + [answers[k] for k in ANSWER_ORDER if k in answers]
        said[5:5] = members  # right after the household answer
        said += ["我要申请"] + [answers[k] for k in APPLICATION_ORDER if k in answers]
        scripts.append([str(s) for s in said])
    return scripts
