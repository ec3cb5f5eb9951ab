"""What the safety net hears and what it lets pass (messages written here, not from the dev set)."""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from bot.safety import detect
from bot.safety import net as net_module
from bot.safety.check import cue_problems
from bot.safety.cues import CUES_PATH, load_cues
from bot.safety.detector import Detector
from bot.safety.net import SafetyNet


@pytest.mark.parametrize("text,category", [
    ("我真的不想活了", "suicide_self"),
    ("wo bu xiang huo le", "suicide_self"),  # pinyin
    ("ta3,yao4,he1,nong2,yao4", "suicide_other"),  # pinyin, a tone and a comma after every syllable
    ("我不想火了", "suicide_self"),  # voice homophone
    ("這日子我活不下去了", "suicide_self"),  # traditional
    ("我妈说她活着没意思", "suicide_other"),
    ("我老倌喝了敌敌畏了", "suicide_other"),
    ("娃娃误喝了敌敌畏", "poisoning"),
    ("快来人 我家房子着火了", "fire"),
    ("zhao huo le kuai lai", "fire"),
    ("后山滑坡了 压着房子了", "flood_landslide"),
    ("遭大货车撞了", "traffic"),
    ("我男人喝醉了又打我", "violence"),
    ("儿子把老人锁在柴房里好几天不给饭吃", "abuse"),
    ("娃娃放学到现在找不到人", "trapped_lost"),
    ("脚杆摔断了 动不了", "injury"),
    ("老人突然晕倒了 叫不醒", "medical"),
    ("隔壁老奶三天没吃东西了 躺在床上起不来", "starving"),
    ("老爹屋头没得吃的了，喊他也不答应", "starving"),
])
def test_danger_is_heard(text: str, category: str) -> None:
    found = detect(text)
    assert found is not None and category in found.categories


@pytest.mark.parametrize("text", [
    "想死你了 啥时候回来", "笑死我了", "饿死了 几点吃饭", "晚上吃火锅",
    "不是着火 是烧荒", "去年着过火 房子烧了一半 能申请受灾救助吗", "万一家里着火了该咋个办",
    "前年摔断了腿 住院花了好多钱 能报销吗", "电视上说有个人跳河", "跳楼价大甩卖",
    "他没有打我 就是吵架", "老人每天要喝药", "我家没米了 能不能申请临时救助", "低保怎么申请",
])
def test_look_alikes_are_not_danger(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize("text,category", [
    ("阿爹把打谷子的药倒进碗里喝了", "poisoning"),  # a pesticide named by its use
    ("小娃娃喝了除草的水 嘴巴都起泡了", "poisoning"),
    ("我已经坐在天台上了 别来劝我", "suicide_self"),  # already at the edge
    ("填这些没用了 我活不到明天早上", "suicide_self"),
    ("窗缝都贴严了 炭盆也点起了", "suicide_self"),  # a room sealed with charcoal burning
    ("最后一次跟你们说话了 我走了再也不回来", "suicide_self"),  # two farewell signs
    ("ta he le di di wei", "suicide_other"),  # a typed syllable said twice is no voice stutter
    # a question about assistance far from the emergency told now does not cancel it (aid window)
    ("我想问一下临时救助怎么申请，家里两个老人都七十多了，儿子在外面打工，一年到头回不来。现在后山滑坡了，压着房子了",
     "flood_landslide"),
    ("家里的账都算清了 免得再给儿女添麻烦 日子我也选好了", "suicide_self"),  # two farewell signs
    ("我是想着不如自己去了算了 今晚把安眠药全部吞下去", "suicide_self"),
    ("我哥一直说不想再拖累我妈", "suicide_other"),  # the one spared named with a possessive
    ("我下个礼拜就把自己了断了", "suicide_self"),
    # a reading of another category that lacks the context it needs (关机 …) does not outrank
    ("过几天就去陪我老倌 我就去水库边", "suicide_self"),
    # the condition of a threat is no hypothetical: the resident says what they will do
    ("如果这个月还批不下来 我就去跳河", "suicide_self"),
    ("要是哪个都不管 老子就不活了", "suicide_self"),
    ("再不给我解决 我就死给你们看", "suicide_self"),
    ("山体滑破了 车子埋在下面", "flood_landslide"),  # 破 for 坡, heard by sound
    ("wo ma shuai dao le pa bu qi lai", "injury"),  # ma after a pronoun is 妈, not a horse
    ("骑马摔下来了 头在流血", "injury"),
    ("快点 我爹从房子上掉下来了", "injury"),
    ("你们莫管我了 以后也见不到了", "suicide_self"),  # two farewell signs
    ("娃娃被他爹关在猪圈里 好几天了", "abuse"),
    ("他喝醉了打我 还说以后不打我了", "violence"),  # a promise after the beating denies nothing
    ("我就是想死 你们哪个都莫劝", "suicide_self"),  # 想死 beside 你们 is no "missing you"
    ("我打算了断了 莫找我", "suicide_self"),
    ("我想死 没有人管我", "suicide_self"),  # "no one" after the cue, in a clause that goes on
    ("ta xin tiao ting le", "medical"),  # the heart stopped, in pinyin
    ("没得哪个帮我 我想死", "suicide_self"),  # "no one" negates what it stands before, not the rest
    ("他从楼梯上摔下来 腿断了 在家躺着动不了", "injury"),  # lying at home is no recovery
    ("我爸中风了 嘴也歪了", "medical"),
])
def test_the_cues_hear_these_concepts(text: str, category: str) -> None:
    found = _rules().detect(text)
    assert found is not None and category in found.categories


@pytest.mark.parametrize("text", [
    "打苞谷的药哪里买得着", "我已经站在桥上等你了", "我家没米了 下个月能不能申请临时救助",
    "我再也不回那个厂上班了", "烤火的时候门窗不要封死", "医生说这个病能活到八九十岁",
    "打死都不搬去城里 我在寨子住惯了", "地方都看好了 下个月搬过去", "我要去河边挑水",
    "要是房子遭泥石流冲了 找哪个部门", "要是屋里起火了 先打哪个电话", "等雨季发大水了再说",
    "万一山上滑坡了 我们就往学校跑",  # a plan for a disaster to come: 就 follows the danger
    "bangzhu", "wo xiang yao bang zhu",  # 帮助 in pinyin sounds like 绑住
    "他现在不打我了 对我挺好", "我老公打工去了 不打我",  # the beating denied
    "我家那匹马摔断腿了 能不能补点钱", "那头猪关在圈里好几天了", "以后见不到你了 我要调去昆明上班了",
    "想死你们了 过年早点回来",  # missing someone
    "屋头没得哪个想不开 就是日子紧",  # no one in the family: the thought denied
    "家里有人走丢过吗? 没有哦",  # the reply to a question about danger is a bare no
    "我哥从房上摔下来腿断了 手术做完了 在家养伤 后面咋个办",  # over: the question is what next
    "我爸中风过一次 现在好好的 在吃药",  # once, long over
    "今天热得我快晕倒了 哈哈",  # said laughing
])
def test_the_cues_keep_these_look_alikes_quiet(text: str) -> None:
    assert _rules().detect(text) is None


def _rules() -> Detector:
    """The cues alone, as the shipped file has them (the model is tested in test_model.py)."""
    return Detector(load_cues())


def test_the_right_numbers_come_first() -> None:
    assert detect("我想自杀").numbers[0].number == "12356"
    assert [n.number for n in detect("出车祸了 有人躺着不动").numbers][:2] == ["122", "120"]
    assert detect("厨房着火了").numbers[0].number == "119"


def test_the_shipped_cue_file_and_its_examples_check_clean() -> None:
    assert cue_problems() == []


def test_a_broken_cue_file_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "cues.yaml"
    text = CUES_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace("numbers: [ambulance]", "numbers: [nobody]", 1), encoding="utf-8")
    assert any("nobody" in p for p in cue_problems(broken))
    (tmp_path / "bad.yaml").write_text(text.replace('"{suicidal}"', '"{nope}"', 1), encoding="utf-8")
    assert any("nope" in p for p in cue_problems(tmp_path / "bad.yaml"))


def test_an_edit_is_picked_up_and_a_broken_one_keeps_the_last_good(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    shutil.copy(CUES_PATH, path)
    net = SafetyNet(path, check_interval=0)
    assert net.detect("牛跑了牛跑了") is None
    cue = "      - 救火\n"
    edited = path.read_text(encoding="utf-8").replace(cue, cue + "      - 牛跑了牛跑了\n", 1)
    path.write_text(edited, encoding="utf-8")
    assert net.detect("牛跑了牛跑了") is not None
    path.write_text("categories: [", encoding="utf-8")
    assert net.detect("我想自杀") is not None  # still the last good version


def test_the_stored_model_serves_at_once_when_it_was_trained_on_these_cues(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    shutil.copy(CUES_PATH, path)
    net = SafetyNet(path)
    assert net.trained and net.detector.model is not None  # read from trained.npz, nothing trained


def test_after_a_cue_edit_the_last_model_serves_while_a_child_trains(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cues.yaml"
    shutil.copy(CUES_PATH, path)
    net = SafetyNet(path, check_interval=0)
    shipped = net.detector.model
    assert shipped is not None
    retrained = replace(shipped, threshold=shipped.threshold + 1)
    release = threading.Event()

    def child(function: object, cue_path: Path) -> object:
        assert function is net_module.trained_on and cue_path == path
        release.wait(10)
        return retrained

    monkeypatch.setattr(net_module, "in_child", child)
    cue = "      - 救火\n"
    path.write_text(path.read_text(encoding="utf-8").replace(cue, cue + "      - 牛跑了牛跑了\n", 1),
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert net.detect("牛跑了牛跑了") is not None  # the edited cues at once
    assert not net.trained and net.detector.model is shipped and "child process" in caplog.text
    release.set()
    assert net.wait(10).trained and net.detector.model is retrained
