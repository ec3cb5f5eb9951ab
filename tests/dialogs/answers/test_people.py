"""Names, phones and ID numbers as people say and type them."""

from datetime import date

import pytest

from bot.application.identity import IdNumber
from bot.dialogs.answers.people import read_id, read_name, read_phone, read_village


def test_a_group_of_a_phone_number_said_twice_is_said_once() -> None:
    assert read_phone("一三九 零八七一 二二四五 二二四五") == "13908712245"
    assert read_phone("1390 8712 2455 5") == "invalid"  # digits beyond a repeat stay wrong


def test_an_id_typed_with_the_letter_l_and_an_id_left_with_someone() -> None:
    checked = read_id("53042819900101l231", date(2026, 12, 1))
    assert not isinstance(checked, str) and isinstance(checked.id_number, IdNumber)
    assert checked.id_number.value == "530428199001011231"
    assert read_id("不记得 身份证放在我姑娘那里", date(2026, 12, 1)) == "unknown"


@pytest.mark.parametrize("text", ["同意", "我同意", "好的", "是的", "可以", "嗯", "没有", "没得", "不同意",
                                  "你好", "在吗", "谢谢", "算了", "知道了", "明白", "确认", "开始", "申请",
                                  "123", "13812345678"])
def test_consent_greetings_commands_and_numbers_are_not_names(text: str) -> None:
    assert read_name(text) is None


@pytest.mark.parametrize("text,name", [("李春花", "李春花"), ("岩温", "岩温"), ("同意 我叫李春花", "李春花"),
                                       ("好的 王建华", "王建华"), ("姓名 王建华", "王建华"),
                                       ("嗯 我叫 我叫李 李春花", "李春花")])
def test_a_name_after_a_yes_or_a_label_is_the_name(text: str, name: str) -> None:
    assert read_name(text) == name


@pytest.mark.parametrize("text", ["同意", "可以", "你好", "谢谢", "知道了", "13812345678"])
def test_a_yes_a_greeting_or_a_number_is_not_a_village(text: str) -> None:
    assert read_village(text) is None
    assert read_village("东峨村委会") == "东峨村委会"


@pytest.mark.parametrize(("text", "expected"), [
    ("我家是洼垤乡的 村子名叫邑慈碑", "邑慈碑"),  # the name after the word for naming it
    ("村委会叫做路通", "路通"),
    ("羊街乡的坝木村", "坝木村"),  # the township and its 的 dropped
    ("寨子叫什么我讲不清楚", "unknown"),  # any way of not knowing from the shared vocabulary
])
def test_a_village_named_in_a_sentence(text: str, expected: str) -> None:
    assert read_village(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("我叫张 张丽 张丽萍", "张丽萍"),  # said again, longer, as the resident corrects it
    ("大家都喊我李二娃，户口本上是李国强", "李国强"),  # the name on the papers
    ("叫王芳 王芳", "王芳"),
])
def test_a_name_corrected_or_given_as_on_the_papers(text: str, expected: str) -> None:
    assert read_name(text) == expected


def test_the_kind_of_place_then_its_name() -> None:
    assert read_village("村委会是曼来村") == "曼来村"
    assert read_village("我们社区是红光社区") == "红光社区"
    assert read_village("村委会叫猪街") == "猪街"  # 叫, as before
    assert read_village("是曼来村") == "曼来村"
    assert read_village("曼来村委会") == "曼来村委会"  # no kind word before: unchanged
