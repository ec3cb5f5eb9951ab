"""Who earns: the question's word said back, and nobody said before the work; toiling in the fields;
someone taken to hospital suddenly (an emergency)."""

import pytest

from bot.dialogs.answers.facts_work import read_work


@pytest.mark.parametrize("text", [
    "做活 做不动了 腰杆痛",  # the question's word, then the answer: nobody can
    "干活嘛 干不了 身体不行",
    "莫得一个能干活的 都是老的",
    "屋头没有人能做工",
    "哪个都没打工",
])
def test_nobody_works(text: str) -> None:
    assert read_work(text) is False


@pytest.mark.parametrize(("text", "expected"), [
    ("做活 就是我老公在做", ["spouse"]),  # the word said back, then who does
    ("儿子在打工 我做不动了", ["child"]),
    ("我没有工作 媳妇在饭店上班", ["spouse"]),
])
def test_someone_works_as_before(text: str, expected: list[str]) -> None:
    assert read_work(text) == expected


@pytest.mark.parametrize("text", [
    "农忙的时候帮人家砍甘蔗 现在没做",  # the work said, then not now
    "去年在砖厂 今年莫得做了",
    "种点菜自己吃 不算干活",  # said not to count
])
def test_work_said_then_not_now_is_nobody(text: str) -> None:
    assert read_work(text) is False


def test_work_now_beside_someone_else_stopping_is_kept() -> None:
    assert read_work("我在工地做小工 他早就不干了") == ["self"]  # 他: someone else stopped
    assert read_work("老婆在饭店洗碗 我不做了") == ["spouse"]
    assert read_work("老婆编篮子卖 算不算做活") == ["spouse"]  # asked whether it counts: not a no


def test_toiling_in_the_fields_is_work_and_one_who_cannot_work_is_not_an_earner() -> None:
    from bot.dialogs.screening_reading import read

    assert read("work", "老伴瘫在床上 就我在田里苦") == ["self"]  # 苦: to toil
    assert read("work", "女儿在县城上斑") == ["child"]  # 上班 mistyped
    assert read("work", "孙女在饭店打工 她爸腿断了不能做") == ["grandchild"]
    assert read("work", "儿子能做 在砖厂") == ["child"]  # unchanged: 能做 is not 不能做


def test_someone_taken_to_hospital_suddenly_is_an_illness() -> None:
    from bot.dialogs.screening_reading import read

    assert "illness" in read("emergency", "老爹夜里突然不行了 送医院抢救过来了")
    assert read("emergency", "厨房着火了 烧了半边") == ["fire"]  # unchanged: no illness
