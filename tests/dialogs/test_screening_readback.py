"""A reader's guess is read back before it is kept, at any question; a sure reading is not."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot.services import build_services
from bot.settings import Settings
from tests.dialogs.test_screening import Chat, knowledge, start


@pytest.fixture
def chat(redis_client: aioredis.Redis) -> Chat:
    return Chat(build_services(Settings(_env_file=None), redis=redis_client, knowledge=knowledge()))


async def test_a_household_told_with_a_guess_is_read_back_and_kept_on_yes(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八")
    await chat("外孙跟着我 外孙九岁 他爹他妈离婚以后各自成家了")  # whose parents: a guess
    assert await chat.step() == "confirm:household"
    await chat("对")
    assert (await chat.answers())["household"]["members"][0]["relation"] == "grandchild"
    assert not (await chat.step()).startswith("confirm:")


async def test_a_guess_read_back_is_replaced_by_what_the_resident_says_instead(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八")
    await chat("我们家一共三口人 我 老伴 儿子 孙子")  # three said, four named: a guess
    assert await chat.step() == "confirm:household"
    await chat("不对 就我 老伴 孙子十岁")
    members = (await chat.answers())["household"]["members"]
    assert sorted((m["relation"], m["age"]) for m in members) == [("grandchild", 10), ("spouse", None)]


async def test_a_sure_household_and_a_single_amount_are_not_read_back(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八")
    await chat("老伴七十 孙子十二")
    assert not (await chat.step()).startswith("confirm:")


async def test_an_income_added_up_from_two_sources_is_read_back_as_a_sum(chat: Chat) -> None:
    await start(chat, "元江农村", "六十八", "老伴七十", "没有")
    await chat.until("earnings")
    reply = await chat("我一个月四百 老伴一个月三百")
    assert await chat.step() == "confirm:income" and "加起来" in reply
    await chat("对")
    assert (await chat.answers())["income"]["low"] == 700
