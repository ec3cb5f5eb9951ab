"""生成申请 through the engine: what is asked and why, validation, consents, record and honest reply."""

import copy

import pytest
import redis.asyncio as aioredis

from bot.application.links import page_signer
from bot.application.model import Status
from bot.engine import Engine
from bot.services import Services
from tests.application.support import (
    ANSWERS,
    ID_NUMBER,
    NAME,
    PHONE,
    SCREENING_RESULT,
    FakeHandoff,
    answered,
    apply,
    id_with_check,
    joined,
    make_services,
    put_screening,
    say,
)

USER = "oResidentOpenid0001"
APP = "chat/application"


class RefusingKnowledge:
    """A knowledge base that must not be asked: what it was asked, and a failure if it was."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def ask(self, text: str) -> object:
        self.asked.append(text)
        raise AssertionError("personal data reached the knowledge base")


@pytest.fixture
def services(redis_client: aioredis.Redis) -> Services:
    return make_services(redis_client)


async def test_without_screening_result_points_to_self_check(services: Services) -> None:
    assert await answered(Engine(services), USER, "生成申请") == [f"{APP}/no_screening.txt"]
    assert await services.applications.for_user(USER) == []


async def test_no_likely_or_possible_programme_means_no_application(services: Services) -> None:
    result = copy.deepcopy(SCREENING_RESULT)
    for item in result["results"]:
        item["status"] = "unlikely"
    await put_screening(services, USER, result)
    assert await answered(Engine(services), USER, "生成申请") == [f"{APP}/none_eligible.txt"]


async def test_full_run_explains_each_item_then_creates_a_generated_application(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    first = await say(engine, USER, "生成申请")
    assert [r.source for r in first] == [f"{APP}/intro.txt", f"{APP}/ask_name.txt"]
    intro = first[0].text  # the programmes the questionnaire found likely or possible, and only those
    assert "最低生活保障（低保）" in intro and "临时救助" in intro and "特困" not in intro
    asked = [first[1]]
    for answer in ANSWERS[:-1]:
        [reply] = await say(engine, USER, answer)
        asked.append(reply)
    steps = ("name", "id_number", "phone", "township", "village", "pledge", "authorise")
    assert [r.source for r in asked] == [f"{APP}/ask_{step}.txt" for step in steps]
    assert "1. 那诺乡" in asked[3].text and "10. 红河街道" in asked[3].text
    final = await say(engine, USER, ANSWERS[-1])
    assert "已生成，还没有提交" in final[0].text and "已送达" not in final[0].text
    assert final[0].url and "24小时内有效" in (final[0].link_text or "")
    records = await services.applications.for_user(USER)
    assert len(records) == 1
    record = records[0]
    assert record.status is Status.GENERATED
    assert [h["status"] for h in record.history] == ["draft", "generated"]
    assert record.township_code == "530428003"
    payload = record.payload
    assert payload["applicant"]["name"] == NAME and payload["applicant"]["id_number"] == ID_NUMBER
    assert payload["applicant"]["phone"] == PHONE and payload["where"]["village"] == "东峨村委会"
    claim = page_signer(services.settings).verify(final[0].url.rsplit("/", 1)[1])
    assert claim is not None and claim.subject == record.id and claim.user_key == record.user_key


async def test_bad_id_numbers_are_explained_and_lower_case_x_accepted(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await say(engine, USER, "生成申请")
    await say(engine, USER, NAME)
    short = joined(await say(engine, USER, ID_NUMBER[:-1]))
    assert "18位" in short and ID_NUMBER[:-1] not in short
    wrong = ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2")
    assert "对不上" in joined(await say(engine, USER, wrong))
    assert "出生日期" in joined(await say(engine, USER, id_with_check("53042819550231002")))
    x_body = next(b for n in range(1000) if id_with_check(b := f"53042819550315{n:03d}")[-1] == "X")
    assert await answered(engine, USER, x_body + "x") == [f"{APP}/ask_phone.txt"]
    assert await answered(engine, USER, "12345") == [f"{APP}/bad_phone.txt"]  # refused, asked again
    assert await answered(engine, USER, "139-8877-6655") == [f"{APP}/ask_township.txt"]


async def test_personal_steps_do_not_pass_answers_to_the_knowledge_base(services: Services) -> None:
    spy = RefusingKnowledge()
    services.knowledge = spy  # type: ignore[assignment]
    await put_screening(services, USER)
    engine = Engine(services)
    await say(engine, USER, "生成申请")
    await say(engine, USER, "李 1")  # not a name: hinted, not asked as a question
    await say(engine, USER, NAME)
    await say(engine, USER, ID_NUMBER[:-2])
    assert spy.asked == []


async def test_scene_from_township_qr_is_offered(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await say(engine, USER, "", key="welcome", scene="530428009")
    await say(engine, USER, "生成申请")
    for answer in (NAME, ID_NUMBER):
        await say(engine, USER, answer)
    ask = joined(await say(engine, USER, PHONE))
    assert "您是扫因远镇的二维码进来的" in ask
    await say(engine, USER, "是")
    for answer in ("不知道", "同意", "同意"):
        await say(engine, USER, answer)
    record = (await services.applications.for_user(USER))[0]
    assert record.township_code == "530428009" and record.payload["where"]["village"] == "待补充"


async def test_declining_the_pledge_creates_nothing(services: Services) -> None:
    await put_screening(services, USER)
    replies = await apply(Engine(services), USER, (*ANSWERS[:5], "不同意"))
    assert [r.source for r in replies] == [f"{APP}/declined.txt"]
    assert await services.applications.for_user(USER) == []


@pytest.mark.parametrize(("status", "said", "not_said"), [
    (Status.HANDED_TO_TOWNSHIP, "已交给甘庄街道的工作人员", "已送达"),
    (Status.DELIVERED, "已送达县里的受理系统", "还没有提交"),
    (Status.FAILED, "自动送达没有成功", "已送达县里"),
])
async def test_reply_says_exactly_what_the_hand_off_did(services: Services, status: Status, said: str,
                                                         not_said: str) -> None:
    handoff = FakeHandoff(services.applications, status=status)
    services.handoff = handoff
    await put_screening(services, USER)
    final = await apply(Engine(services), USER)
    assert said in final[0].text and not_said not in final[0].text
    record = (await services.applications.for_user(USER))[0]
    assert handoff.handed == [record.id] and record.status is status
    assert [h["status"] for h in record.history] == ["draft", str(status)]


async def test_a_broken_hand_off_is_reported_as_failed_but_the_page_exists(services: Services) -> None:
    services.handoff = FakeHandoff(services.applications, error=RuntimeError("intake down"))
    await put_screening(services, USER)
    final = await apply(Engine(services), USER)
    assert "自动送达没有成功" in final[0].text and final[0].url
    assert (await services.applications.for_user(USER))[0].status is Status.FAILED


async def test_reads_the_questionnaires_own_store(redis_client: aioredis.Redis) -> None:
    services = make_services(redis_client)
    await services.screenings.save(USER, SCREENING_RESULT)
    final = await apply(Engine(services), USER)
    assert final[0].url and final[0].source == f"{APP}/created.txt"
    record = (await services.applications.for_user(USER))[0]
    assert [p["program"] for p in record.payload["programs"]] == ["dibao", "linshi"]


async def test_an_id_that_does_not_fit_the_age_given_is_queried_then_confirmed(services: Services) -> None:
    young = copy.deepcopy(SCREENING_RESULT)
    young["household"]["members"][0]["age"] = 45  # the ID says born 1955
    await put_screening(services, USER, young)
    engine = Engine(services)
    await say(engine, USER, "生成申请")
    await say(engine, USER, NAME)
    [asked] = await say(engine, USER, f"{ID_NUMBER} 是我的")
    assert asked.source == f"{APP}/id_mismatch.txt" and "45岁" in asked.text
    assert await answered(engine, USER, "是的") == [f"{APP}/ask_phone.txt"]


async def test_phones_as_people_type_them(services: Services) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    for text in ("生成申请", NAME, ID_NUMBER):
        await say(engine, USER, text)
    assert await answered(engine, USER, "139 8877 6655 是我外孙的") == [f"{APP}/ask_township.txt"]


@pytest.mark.parametrize("text", ["同意", "好的", "是的", "不知道", "没有", "你好", "知道了", "123"])
async def test_the_name_step_takes_only_a_name(services: Services, text: str) -> None:
    await put_screening(services, USER)
    engine = Engine(services)
    await say(engine, USER, "生成申请")
    assert (await answered(engine, USER, text))[-1] in (f"{APP}/bad_name.txt", f"{APP}/ask_name.txt")
    assert await answered(engine, USER, NAME) == [f"{APP}/ask_id_number.txt"]  # still at the name step


async def test_a_bare_phone_number_mid_application_is_not_a_question(services: Services) -> None:
    spy = RefusingKnowledge()
    services.knowledge = spy  # type: ignore[assignment]
    await put_screening(services, USER)
    engine = Engine(services)
    for answer in ("生成申请", NAME, ID_NUMBER):
        await say(engine, USER, answer)
    assert await answered(engine, USER, PHONE) == [f"{APP}/ask_township.txt"]
    assert await answered(engine, USER, "13812345678") == [f"{APP}/bad_township.txt"]
    assert spy.asked == []
