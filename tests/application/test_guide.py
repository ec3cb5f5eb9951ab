"""Each programme's route comes from data (issue 12 item 17): not every applicant goes to 办事通."""

from __future__ import annotations

from typing import Any

import httpx
import redis.asyncio as aioredis

from bot.application import guide
from bot.engine import Engine
from bot.townships import township
from tests.application.support import (
    SCREENING_RESULT,
    apply,
    joined,
    make_app,
    make_services,
    path_of,
    put_screening,
)

LEGAL_AND_SCHOOL: dict[str, Any] = {
    **SCREENING_RESULT,
    "results": [
        {"program": "falv", "name": "法律援助与司法救助", "status": "likely", "refs": [9]},
        {"program": "jiaoyu", "name": "教育救助", "status": "possible", "refs": [5]},
    ],
}


def test_each_programme_has_its_own_route() -> None:
    place = township("530428001")  # 那诺乡: a 乡 has a 人民政府
    ids = ("dibao", "tekun", "falv", "jiaoyu", "guer", "shouzai", "new")
    programs = [{"program": p, "name": p} for p in ids]
    found = {r["program"]: r for r in guide.routes(programs, place)}
    assert "那诺乡人民政府" in found["dibao"]["where"] and found["dibao"]["online"]
    assert "书面申请" in found["tekun"]["where"] and not found["tekun"]["online"]
    assert "县司法局" in found["falv"]["where"] and "那诺乡" not in found["falv"]["where"]
    assert "学校" in found["jiaoyu"]["where"] and "县教育体育局" in found["jiaoyu"]["where"]
    assert "监护人" in found["guer"]["where"] and "村（居）委会" in found["shouzai"]["where"]
    assert "那诺乡人民政府" in found["new"]["where"]  # a programme without a route gets the township
    assert not any(r["online"] for p, r in found.items() if p != "dibao")  # 我要办低保 is for 低保 only


def test_a_street_has_an_office_and_an_unknown_township_reads_generically() -> None:
    (street,) = guide.routes([{"program": "dibao", "name": "低保"}], township("530428004"))
    assert "澧江街道办事处" in street["where"]
    (unknown,) = guide.routes([{"program": "dibao", "name": "低保"}], None)
    assert "乡镇人民政府（街道办事处）" in unknown["where"]


def test_todays_procedure_only_for_dibao_and_tekun() -> None:
    steps = guide.steps([{"program": "dibao"}])
    titles = [s["title"] for s in steps]
    assert titles[1] == "家庭经济状况核查" and "公示" in titles and titles[-1] == "审核确认"
    assert titles.count("公示") == 1 and "民主评议" not in titles  # no compulsory appraisal, one publicity
    assert guide.steps([{"program": "falv"}]) == []


async def test_legal_aid_and_school_applicants_are_not_sent_to_banshitong(
        redis_client: aioredis.Redis) -> None:
    services = make_services(redis_client, banshitong_url="https://banshitong.example.cn/dibao")
    await put_screening(services, "oLegal", LEGAL_AND_SCHOOL)
    final = await apply(Engine(services), "oLegal")
    text = joined(final)
    assert "县司法局" in text and "学校" in text
    assert "我要办低保" not in text and "办事通" not in text
    transport = httpx.ASGITransport(app=make_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="https://assist.example.cn") as client:
        html = (await client.get(path_of(final[0].url))).text
    assert "县司法局" in html and "学校" in html
    assert "我要办低保" not in html and "banshitong.example.cn" not in html
    assert "低保、特困提交以后会怎样" not in html


async def test_a_dibao_application_names_the_township_seat_and_banshitong(
        redis_client: aioredis.Redis) -> None:
    services = make_services(redis_client)
    await put_screening(services, "oDibao")
    text = joined(await apply(Engine(services), "oDibao"))  # the answers pick 甘庄街道
    assert "甘庄街道办事处" in text and "我要办低保" in text and "临时救助" in text
    assert "民主评议" not in text and "甘庄街道办事处办事处" not in text
