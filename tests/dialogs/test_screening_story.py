"""The story a resident tells before 自测 fills the questionnaire, and an answer mid-way is an
answer first even when it holds words that would start another flow (bot/dialogs/screening_story.py,
`Flow.hears_answer`)."""

from __future__ import annotations

from datetime import date

from fakeredis import FakeAsyncRedis

from bot.dialogs import default_flows
from bot.dialogs.answers.members import read_household
from bot.dialogs.intent_model import Guess
from bot.dialogs.intents import DIALOG_DIR, INTENTS_PATH, Intents, _menu, _read
from bot.dialogs.screening import ScreeningFlow
from bot.dialogs.screening_story import whole_household
from bot.engine import Engine, Message
from bot.services import Services, build_services
from bot.settings import Settings
from bot.text import fold

TODAY = date(2026, 12, 1)
USER = "oStoryTester000000001"


class Chat:
    def __init__(self) -> None:
        self.services: Services = build_services(Settings(_env_file=None), redis=FakeAsyncRedis())
        flows = default_flows()
        flows["screening"] = ScreeningFlow(today=lambda: TODAY)
        self.engine = Engine(self.services, flows=flows)

    async def __call__(self, *texts: str) -> str:
        reply = ""
        for text in texts:
            reply = "\n".join(r.text for r in await self.engine.handle(Message(user=USER, text=text)))
        return reply

    async def flow(self) -> tuple[str, str, dict] | None:
        state = (await self.services.sessions.load(USER)).flow
        return None if state is None else (state.name, state.step, state.data.get("answers", {}))


async def test_a_story_naming_the_whole_household_is_not_asked_again() -> None:
    chat = Chat()
    await chat("我屋头一共四口人 我跟老倌 还有两个孙子 一个十二 一个七岁 想问问能得哪样补助")
    await chat("自测")
    reply = await chat("同意")
    assert "孙子（12岁）" in reply and "孙子（7岁）" in reply  # read back as noted, to correct
    name, step, answers = await chat.flow()
    assert name == "screening" and "household" in answers and step != "household"
    ages = sorted(m["age"] or 0 for m in answers["household"]["members"])
    assert ages == [0, 7, 12]  # 老倌 (age still to ask), two grandsons


async def test_a_story_about_one_person_leaves_the_household_question() -> None:
    chat = Chat()
    await chat("我家孙子的妈跑了 娃娃能得哪样补助")
    await chat("自测")
    await chat("同意")
    _, _, answers = await chat.flow()
    assert "household" not in answers


async def test_the_story_is_not_read_without_consent() -> None:
    chat = Chat()
    await chat("就我带两个娃娃 一个九岁一个五岁 老公前年走了")
    await chat("自测")
    name, _, answers = await chat.flow()
    assert name == "screening" and answers == {}
    await chat("不同意")
    assert await chat.flow() is None


def test_whole_household_needs_a_size_that_fits_or_a_just_us() -> None:
    def whole(text: str) -> bool:
        return whole_household(fold(text), read_household(text))

    assert whole("我家三口人 我 老婆 一个儿子")
    assert not whole("我家五口人 我 老婆 一个儿子")
    assert whole("现在就我和我姑娘两个")
    assert whole("离了婚一个人住")
    assert not whole("儿子在外面打工 孙女在读书")


async def test_an_answer_holding_apply_words_is_an_answer_first() -> None:
    chat = Chat()
    await chat("自测", "同意", "户口在墨江 住在元江县城")
    assert (await chat.flow())[1] == "permit"
    await chat("居住证还没办 不知道要办")
    name, step, answers = await chat.flow()
    assert name == "screening" and answers["permit"] == 0.0 and step != "permit"


class _HearsExit:
    """A second stage that takes every message for 退出, as the trained one may take an answer."""

    def command(self, text: str, context: str) -> Guess:
        return Guess("exit", 0.9, ())

    def overrules(self, text: str, context: str) -> bool:
        return False


async def test_an_answer_the_model_takes_for_a_command_is_an_answer_first() -> None:
    chat = Chat()
    chat.engine.intents = Intents(_read(INTENTS_PATH), _read(DIALOG_DIR / "commands.yaml"), _menu(),
                                  model=_HearsExit())  # type: ignore[arg-type]
    await chat("自测", "同意", "元江农村", "七十九", "就我和老伴 她七十七")
    assert (await chat.flow())[1] == "health"
    await chat("老伴老年痴呆 办了残疾证")
    name, step, answers = await chat.flow()
    assert name == "screening" and answers["health"]["disability"] and step != "health"
    await chat("退出")  # a listed word is still the command
    assert await chat.flow() is None or (await chat.flow())[0] != "screening"


async def test_a_wish_to_apply_mid_way_still_starts_the_application() -> None:
    chat = Chat()
    await chat("自测", "同意", "户口在墨江 住在元江县城")
    await chat("我要申请低保")
    flow = await chat.flow()
    assert flow is None or flow[0] != "screening"  # the application flow took it (the run is resumable)


async def test_a_question_before_自测_answers_nothing_but_what_it_states() -> None:
    chat = Chat()
    await chat("元江农村低保一个月给多少钱 我今年六十六了")
    await chat("自测", "同意")
    _, step, answers = await chat.flow()
    assert answers == {"age": 66} and step == "place"  # where the hukou is is still asked
