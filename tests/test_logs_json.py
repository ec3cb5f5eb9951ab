"""`LOG_FORMAT=json`: one masked JSON object per line, each naming the request it belongs to."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest

from bot.logs import MaskingFilter, MaskingJsonFormatter, new_request_id, request_id
from tests.api.test_bad_input import CRASHERS, PERSONAL, WHO
from tests.servers import running
from tests.test_logs import typo_at_an_amount_question
from tests.test_webhook import signed

FIELDS = {"time", "level", "logger", "message", "request_id"}


def test_a_record_as_json_is_masked_and_carries_the_request_id() -> None:
    _, id_number, phone = PERSONAL  # code never logs names; the filter masks what slips through
    record = logging.LogRecord("bot.test", logging.WARNING, __file__, 1, "caller %s, ID %s",
                               (phone, id_number), None)
    token = request_id.set("req-0123456789")
    try:
        MaskingFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(MaskingJsonFormatter().format(record))
    assert line.keys() >= FIELDS and line["request_id"] == "req-0123456789" and line["level"] == "WARNING"
    assert "139****5678" in line["message"] and "530428********1234" in line["message"]
    assert phone not in json.dumps(line) and id_number not in json.dumps(line)


@pytest.mark.parametrize("offered", [None, "", "short", "has space in it", "a" * 65, "line\nbreak-123"])
def test_a_request_id_of_a_strange_shape_is_replaced(offered: str | None) -> None:
    made = new_request_id(offered)
    assert made != offered and len(made) == 16


async def test_a_real_servers_json_log(process_redis_url: str, process_redis) -> None:  # type: ignore[no-untyped-def]
    with running(process_redis_url, {"LOG_LEVEL": "DEBUG", "LOG_FORMAT": "json"}) as (server,):
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for path, body in CRASHERS:  # each with a name, an ID number and a phone number
                await http.post(path, content=body, headers={"content-type": "application/json"})
            await typo_at_an_amount_question(http, process_redis)
            unreadable = await http.post("/wechat", params=signed(), content=f"<xml>{WHO}",
                                         headers={"X-Request-ID": "nginx-req-4242abcd"})
            assert unreadable.headers["x-request-id"] == "nginx-req-4242abcd"
            fresh = await http.get("/healthz")
            assert len(fresh.headers["x-request-id"]) == 16
            await http.post("/_crash", content=f"申请人 {WHO}")
        for _ in range(100):  # uvicorn writes the traceback just after the response
            if "Exception in ASGI application" in server.logs():
                break
            await asyncio.sleep(0.05)
        log = server.logs()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]  # every line is JSON
    assert lines and all(line.keys() >= FIELDS for line in lines)
    assert any(line["request_id"] == "nginx-req-4242abcd" and line["logger"] == "bot.webhook"
               for line in lines)
    assert any("Exception in ASGI application" in line["message"] and "exc_info" in line for line in lines)
    for value in PERSONAL:
        assert value not in log
