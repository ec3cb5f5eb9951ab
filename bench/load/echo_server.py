"""The baseline of the load benchmark: the same stack with nothing of ours in it.

A minimal WeChat handler on FastAPI and wechatpy, served by uvicorn with `server.py`'s options:
check the URL signature, check `msg_signature` and decrypt, parse, echo the text back, encrypt.
Whatever our webhook does beyond this (de-dup, sessions, rate limits, safety, matching, sealing
what reaches Redis) is what the benchmark's ratio measures.

    PORT=7201 PYTHONPATH=. python bench/load/echo_server.py
"""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bench.load.traffic import AES_KEY, APPID, TOKEN
from bot.settings import Settings
from server import uvicorn_options

app = FastAPI()
crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)


@app.get("/healthz")
async def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")


@app.post("/wechat")
async def wechat(request: Request) -> Response:
    query = request.query_params
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    try:
        check_signature(TOKEN, query.get("signature", ""), timestamp, nonce)
        inner = crypto.decrypt_message(await request.body(), query.get("msg_signature", ""), timestamp, nonce)
    except InvalidSignatureException:
        return PlainTextResponse("forbidden", status_code=403)
    message = parse_message(inner)
    content = getattr(message, "content", None) or getattr(message, "recognition", None) or "success"
    reply = TextReply(content=content, message=message).render()
    return Response(crypto.encrypt_message(reply, nonce, timestamp), media_type="application/xml")


if __name__ == "__main__":
    settings = Settings(_env_file=None, port=int(os.environ.get("PORT", "7201")), log_level="WARNING")
    uvicorn.run(app, **uvicorn_options(settings))
