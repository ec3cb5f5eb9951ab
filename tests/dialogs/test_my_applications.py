"""我的申请: every record with status and local times, a fresh link for each application."""

import time

import pytest
import redis.asyncio as aioredis

from bot.application.links import page_signer
from bot.application.model import ApplicationRecord, Status, local_time
from bot.engine import Engine
from bot.services import Services
from tests.application.support import apply, joined, make_services, put_screening, say

USER = "oResidentOpenid0002"
APP = "chat/application"


@pytest.fixture
def services(redis_client: aioredis.Redis) -> Services:
    return make_services(redis_client, link_ttl=7200)


def claim_of(services: Services, url: str | None):
    assert url is not None
    return page_signer(services.settings).verify(url.rsplit("/", 1)[1])


async def test_nothing_yet(services: Services) -> None:
    replies = await say(Engine(services), USER, "我的申请")
    assert [r.source for r in replies] == ["chat/application/my_none.txt"] and not any(r.url for r in replies)


async def test_one_application_with_status_times_and_a_fresh_link(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await apply(engine, USER)
    record = (await services.applications.for_user(USER))[0]
    await services.applications.set_status(record.id, Status.DELIVERED)
    before = time.time()
    replies = await say(engine, USER, "我的申请")
    text = joined(replies)
    assert [r.source for r in replies] == [f"{APP}/my_header.txt", f"{APP}/my_item.txt"]
    record = (await services.applications.for_user(USER))[0]
    assert "共1份" in text and "状态：已送达" in text
    assert local_time(record.created_at) in text and local_time(record.updated_at) in text
    linked = [r for r in replies if r.url]
    assert len(linked) == 1 and "2小时内有效" in (linked[0].link_text or "")
    claim = claim_of(services, linked[0].url)
    assert claim is not None and claim.subject == record.id
    assert claim.expires >= int(before) + 7200  # signed now, not the link sent earlier


async def test_several_applications_and_a_report_pick_by_number(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await apply(engine, USER)
    await apply(engine, USER)
    report = ApplicationRecord.new("report", services.sealer.pseudonym(USER), "530428001", {"what": "x"},
                                   status=Status.HANDED_TO_TOWNSHIP)
    await services.applications.save(report)
    newest_first = [r.id for r in await services.applications.for_user(USER)]
    replies = await say(engine, USER, "我的申请")
    text = joined(replies)
    assert "共3份" in text and "报告" in text and "已交给乡镇" in text
    assert replies[-1].source == f"{APP}/my_pick.txt"  # two links or more: which one, by number
    linked = [claim_of(services, r.url).subject for r in replies if r.url]
    assert linked == [i for i in newest_first if i != report.id]  # reports have no resident page
    number = newest_first.index(linked[1]) + 1
    picked = await say(engine, USER, str(number))
    assert len(picked) == 1 and claim_of(services, picked[0].url).subject == linked[1]
    assert picked[0].text.startswith(f"{number}. 申请")
