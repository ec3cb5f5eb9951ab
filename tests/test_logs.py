import asyncio
import logging
import logging.config

import httpx
import pytest
import redis.asyncio as aioredis

from bot.errors import ConfigError
from bot.logs import MaskingFilter, mask, uvicorn_log_config
from bot.services import build_services
from bot.settings import Settings
from tests.api.test_bad_input import CRASHERS, PERSONAL, WHO
from tests.dialogs.test_amount_typos import AMOUNT_STEP
from tests.servers import running


def test_mask_id_numbers_and_phones() -> None:
    text = "身份证530428199001011234，手机13912345678，小写53042819900101123x"
    masked = mask(text)
    assert "530428199001011234" not in masked and "13912345678" not in masked
    assert "530428********1234" in masked and "139****5678" in masked
    assert "53042819900101123x" not in masked


def test_mask_leaves_other_numbers() -> None:
    assert mask("MsgId 1234567890123456 at 1409304348") == "MsgId 1234567890123456 at 1409304348"


def test_filter_masks_arguments(caplog) -> None:
    logger = logging.getLogger("test.masking")
    handler = caplog.handler
    handler.addFilter(MaskingFilter())
    try:
        logger.warning("phone %s", "13912345678")
    finally:
        handler.removeFilter(handler.filters[-1])
    assert "13912345678" not in caplog.text
    assert "139****5678" in caplog.text


async def test_no_personal_data_in_a_real_servers_log(redis_url: str, redis_client) -> None:  # type: ignore[no-untyped-def]
    with running(redis_url, {"LOG_LEVEL": "DEBUG"}) as (server,):
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            for path, body in CRASHERS:  # each with a name, an ID number and a phone number
                response = await http.post(path, content=body, headers={"content-type": "application/json"})
                assert response.status_code == 422
            await typo_at_an_amount_question(http, redis_client)
            bug = await http.post("/_crash", content=f"申请人 {WHO}")  # uvicorn drops the connection after
            assert bug.status_code == 500
        for _ in range(100):  # uvicorn writes the traceback just after the response
            if "Exception in ASGI application" in server.logs():
                break
            await asyncio.sleep(0.05)
        log = server.logs()
    assert "Exception in ASGI application" in log and "ValueError" in log  # the bug was logged...
    for value in PERSONAL:
        assert value not in log  # ...without what it quoted


async def typo_at_an_amount_question(http: httpx.AsyncClient, redis: aioredis.Redis) -> None:
    """Walk the questionnaire over /api/v1/chat and answer the income with a 27-digit number."""
    sessions = build_services(Settings(app_env="test", _env_file=None), redis=redis).sessions

    async def say(text: str) -> None:
        response = await http.post("/api/v1/chat", json={"user": "logTypo", "text": text})
        assert response.status_code == 200

    await say("自测")
    await say("同意")
    for _ in range(30):
        state = (await sessions.load("api:logTypo")).flow
        assert state is not None
        if state.step.partition(":")[0] == AMOUNT_STEP:
            break
        await say("不知道")
    await say("1" * 27 + f" {WHO}")


def test_uvicorn_tracebacks_go_through_the_masking(capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(uvicorn_log_config("INFO"))
    try:
        try:
            try:
                raise ValueError(f"input was {WHO}")
            except ValueError as inner:
                raise ConfigError("SECRET_KEY is weak") from inner
        except ConfigError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
        logging.getLogger("uvicorn.error").warning("caller %s", "13912345678")
        err = capsys.readouterr().err
    finally:
        logging.getLogger().handlers.clear()
    assert "Exception in ASGI application" in err and "ValueError" in err and "test_logs.py" in err
    assert "SECRET_KEY is weak" in err  # our own exceptions' messages carry no values
    assert "139****5678" in err
    for value in PERSONAL:
        assert value not in err
