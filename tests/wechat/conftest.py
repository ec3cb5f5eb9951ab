"""Fixtures for the WeChat transport tests: a fake Tencent API on loopback and shared Redis."""

import json
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import redis

SECRET = "fake-secret"


@dataclass
class FakeWeChat:
    """State of the fake API: like Tencent's, only the most recently issued token is valid."""

    appid: str
    base_url: str = ""
    token: str | None = None
    token_fetches: int = 0
    menus: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    raw_bodies: list[bytes] = field(default_factory=list)
    send_errors: list[int] = field(default_factory=list)  # errcodes for the next custom sends
    always_expired: bool = False
    http_status: int = 200
    not_json: bool = False  # answer 200 with an HTML page, as a captive proxy would
    gate: threading.Event | None = None  # when set, a custom send waits for it (at most 5 s)
    released_by_gate: list[bool] = field(default_factory=list)
    oauth_codes: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def invalidate_token(self) -> None:
        """As if someone else fetched a token: the one clients cached stops working."""
        self.token = "revoked-" + secrets.token_hex(4)

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> dict[str, Any]:
        with self.lock:
            if path == "/cgi-bin/token" and method == "GET":
                if query.get("appid") != self.appid or query.get("secret") != SECRET:
                    return {"errcode": 40125, "errmsg": "invalid appsecret"}
                self.token_fetches += 1
                self.token = f"TOKEN-{self.token_fetches}-{secrets.token_hex(4)}"
                return {"access_token": self.token, "expires_in": 7200}
            if path == "/sns/oauth2/access_token" and method == "GET":
                openid = self.oauth_codes.pop(query.get("code", ""), None)
                if query.get("secret") != SECRET or openid is None:
                    return {"errcode": 40029, "errmsg": "invalid code"}
                return {"access_token": "web-token", "expires_in": 7200, "refresh_token": "refresh",
                        "openid": openid, "scope": "snsapi_base"}
            if method != "POST":
                return {"errcode": 40035, "errmsg": "invalid method"}
            if self.always_expired:
                return {"errcode": 42001, "errmsg": "access_token expired"}
            if not self.token or query.get("access_token") != self.token:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            try:
                payload = json.loads(body.decode("utf-8"))
            except ValueError:
                return {"errcode": 47001, "errmsg": "data format error"}
            self.raw_bodies.append(body)
            if path == "/cgi-bin/menu/create":
                if not isinstance(payload.get("button"), list):
                    return {"errcode": 40016, "errmsg": "invalid button size"}
                self.menus.append(payload)
                return {"errcode": 0, "errmsg": "ok"}
            if path == "/cgi-bin/message/custom/send":
                if self.send_errors:
                    code = self.send_errors.pop(0)
                    return {"errcode": code, "errmsg": "refused"}
                self.sent.append(payload)
                return {"errcode": 0, "errmsg": "ok"}
            return {"errcode": 48001, "errmsg": "api unauthorized"}


def _handler(state: FakeWeChat) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if state.http_status != 200 or (state.not_json and url.path != "/cgi-bin/token"):
                self.send_response(state.http_status)
                self.end_headers()
                self.wfile.write(b"<html>busy</html>")
                return
            if state.gate is not None and url.path == "/cgi-bin/message/custom/send":
                state.released_by_gate.append(state.gate.wait(5))
            data = json.dumps(state.answer(self.command, url.path, query, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@pytest.fixture
def appid() -> str:
    """A fresh appid per test, so token keys in a shared real Redis never collide."""
    return "wxtest" + secrets.token_hex(5)


@pytest.fixture
def fake_wechat(appid: str) -> Iterator[FakeWeChat]:
    state = FakeWeChat(appid=appid)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_pair(redis_url: str, redis_client: Any) -> Iterator[tuple[Any, Any]]:
    """Two blocking clients (two 'workers') on the suite's Redis (emptied by `redis_client`)."""
    clients = redis.Redis.from_url(redis_url), redis.Redis.from_url(redis_url)
    yield clients
    for client in clients:
        client.close()
