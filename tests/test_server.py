"""`python server.py --workers N`: N real processes behind one port behave as one service.

Sessions, de-dup, rate limits and the outbox lease live in Redis, so they hold across workers;
knowledge files are watched by every worker on its own, so an edit reaches all of them. Each
request goes out on a new connection, which the kernel hands to whichever worker accepts first.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from bot.knowledge.loader import DEFAULT_DIR
from tests.servers import ROOT, Server, supervised
from tests.test_ratelimit import is_slow_down
from tests.test_webhook import content_of, signed, text_xml

LIMIT = 4  # messages a minute per resident in these servers
QUESTION, OLD, NEW = "低保到哪里申请？", "一般由家里一个成员", "一般由家中一位成员"


@pytest.fixture(scope="module")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("knowledge") / "faq"
    shutil.copytree(DEFAULT_DIR, target)
    return target


@pytest.fixture(scope="module")
def two_workers(redis_url: str, knowledge_dir: Path) -> Iterator[Server]:
    env = {"RATE_LIMIT_MESSAGES": f"{LIMIT}/minute", "KNOWLEDGE_DIR": str(knowledge_dir), "LOG_LEVEL": "INFO"}
    with supervised(redis_url, 2, env) as server:
        yield server


async def send(server: Server, text: str, msg_id: int, user: str) -> str:
    async with httpx.AsyncClient(timeout=30) as http:  # a new connection: either worker may take it
        response = await http.post(server.url + "/wechat", params=signed(),
                                   content=text_xml(text, msg_id=str(msg_id), user=user))
    return content_of(response.text)


def test_more_than_one_worker_needs_redis() -> None:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run([sys.executable, "server.py", "--workers", "2"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "REDIS_URL" in done.stderr


async def test_two_worker_processes_serve_one_port(two_workers: Server,
                                                  redis_client: aioredis.Redis) -> None:
    assert len(two_workers.workers()) == 2
    assert (await httpx.AsyncClient().get(two_workers.url + "/readyz")).status_code == 200


def test_each_worker_runs_in_a_session_of_its_own(two_workers: Server) -> None:
    """Autogroup scheduling shares the CPU by session: workers must not share the supervisor's."""
    sessions = {os.getsid(pid) for pid in two_workers.workers()}
    assert len(sessions) == 2 and os.getsid(two_workers.proc.pid) not in sessions


async def test_retries_spread_over_workers_are_one_turn(two_workers: Server,
                                                        redis_client: aioredis.Redis) -> None:
    user = "oRetry" + secrets.token_hex(3)
    retries = await asyncio.gather(*(send(two_workers, "帮助", 5000, user) for _ in range(6)))
    assert len(set(retries)) == 1 and not is_slow_down(retries[0])
    # Six deliveries of one message counted once: LIMIT - 1 new messages still get answers.
    later = [await send(two_workers, "帮助", 5001 + i, user) for i in range(LIMIT)]
    assert not any(map(is_slow_down, later[:-1])) and is_slow_down(later[-1])


async def test_rate_limit_is_counted_once_across_workers(two_workers: Server,
                                                         redis_client: aioredis.Redis) -> None:
    user = "oLimit" + secrets.token_hex(3)
    replies = await asyncio.gather(*(send(two_workers, "帮助", 6000 + i, user) for i in range(3 * LIMIT)))
    assert sum(not is_slow_down(r) for r in replies) == LIMIT


async def test_a_conversation_goes_on_whichever_worker_takes_each_message(
        two_workers: Server, redis_client: aioredis.Redis) -> None:
    async def talk(user: str, base: int) -> list[str]:
        steps = ["自测", "可以", "七十一岁"]
        return [await send(two_workers, text, base + i, user) for i, text in enumerate(steps)]

    first = await talk("oTalkA" + secrets.token_hex(3), 7000)
    second = await talk("oTalkB" + secrets.token_hex(3), 7100)
    out_of_the_blue = await send(two_workers, "可以", 7200, "oFresh" + secrets.token_hex(3))
    assert first == second  # the same questionnaire steps, wherever each message landed
    assert len(set(first)) == 3 and first[1] != out_of_the_blue


async def test_a_knowledge_edit_reaches_every_worker(two_workers: Server, knowledge_dir: Path,
                                                     redis_client: aioredis.Redis) -> None:
    async def ask(i: int) -> str:
        return await send(two_workers, QUESTION, 8000 + i, f"oKb{i}")

    assert all(OLD in a for a in await asyncio.gather(*(ask(i) for i in range(6))))
    path = knowledge_dir / "apply.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    time.sleep(2.5)  # every worker looks at the files at most every 2 s
    # A worker's first question after that starts a rebuild on a thread, and the old text answers
    # until the new index is ready; then no worker may give the old text any more.
    for attempt in range(60):
        after = [await ask(100 + 12 * attempt + i) for i in range(12)]
        if not any(OLD in a for a in after):
            break
        await asyncio.sleep(1)
    assert not any(OLD in a for a in after) and any(NEW in a for a in after)


def test_uvicorn_runs_on_uvloop_and_httptools() -> None:
    """`server.py`'s uvicorn options resolve to the pinned event loop and HTTP parser (uvicorn's
    "auto" would fall back to asyncio and h11 without a word where they are missing)."""
    import uvicorn
    import uvloop
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from bot.settings import Settings
    from server import uvicorn_options

    config = uvicorn.Config(lambda: None, **uvicorn_options(Settings(_env_file=None)))
    assert config.get_loop_factory() is uvloop.new_event_loop
    assert config.http == "auto" and AutoHTTPProtocol.__name__ == "HttpToolsProtocol"
