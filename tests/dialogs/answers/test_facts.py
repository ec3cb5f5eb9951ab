"""Health, school, work, help received, emergencies, supporters, place, years, houses, vehicles."""

import pytest

from bot.dialogs.answers import facts, pensions, places


@pytest.mark.parametrize(("text", "expected"), [
    ("没有 就是有点气管炎", {"disability": False, "illness": False}),
    ("儿子有残疾证 智力三级", {"disability": True, "illness": None}),
    ("老伴中风了 瘫在床上 证还没办", {"disability": False, "illness": True}),
    ("都好好的", {"disability": False, "illness": False}),
    ("屋里没有人有残疾证 病也没得", {"disability": False, "illness": False}),  # nobody has one
    ("残疾的有 重病倒是没有", {"disability": True, "illness": False}),  # the serious word denied
    ("老伴脑梗 残疾证不得", {"disability": False, "illness": True}),  # 不得: has none
    ("眼睛看不清 证么还莫得办", {"disability": False, "illness": None}),  # not yet made: no card
    ("我爹腿残了 残疾证 还没办", {"disability": False, "illness": None}),
    ("姑娘是精神分裂 一年住几回院", {"disability": None, "illness": True}),
    ("老倌摔断了腿 还在住院", {"disability": None, "illness": True}),  # in hospital now
    ("我肝硬化了 天天吃药", {"disability": None, "illness": True}),
    ("老伴脑梗 我自己么还好", {"disability": None, "illness": True}),  # another is well
    ("脑梗过 现在还好", {"disability": None, "illness": False}),
])
def test_health(text: str, expected: dict) -> None:
    assert facts.read_health(text) == expected


def test_disability_type_and_grade() -> None:
    assert facts.read_disability_type("智力的 脑子不好使") == "intellectual"
    assert facts.read_disability_type("又聋又瘸 证上写的多重") == "multiple"
    assert facts.read_disability_grade("证上是二级") == 2 and facts.read_disability_grade("IV级") == 4
    assert facts.read_disability_grade("三级还是四级 记不清了") == "unknown"


@pytest.mark.parametrize(("text", "expected"), [
    ("有个姑娘嫁出去了 她自己都难 管不了我", {"exists": True, "can_support": False}),
    ("儿子在外面打工 每个月寄五百回来", {"exists": True, "can_support": True}),
    ("没儿没女", {"exists": False, "can_support": None}),
    ("有个侄儿 偶尔来看看", {"exists": False, "can_support": None}),  # a nephew has no duty
    ("两个儿子 都不管我", {"exists": True, "can_support": None}),  # unwilling is not unable
    ("姑娘孝顺得很 养得到我", {"exists": True, "can_support": True}),
    ("两个儿子各顾各的 给不了", {"exists": True, "can_support": False}),
    ("有个姑娘 她没钱", {"exists": True, "can_support": False}),
])
def test_supporters(text: str, expected: dict) -> None:
    assert facts.read_supporters(text) == expected


def test_school_work_current_emergency() -> None:
    assert facts.read_school("读初二") == "junior" and facts.read_school("初中毕业就不读了") == "none"
    assert facts.read_school("在读书", age=9) == "primary"
    assert facts.read_work("我和老伴种甘蔗 儿子做不来") == ["self", "spouse"]
    assert facts.read_work("都做不动了") is False
    assert facts.read_work("老伴做得 我是做不得了") == ["spouse"]  # 做得: can work
    assert facts.read_work("儿子给人家打扫卫生") == ["child"]
    assert facts.read_work("我爹替人家摘芒果") == ["parent"]
    assert facts.read_current("以前吃过低保 后来取消了") == []
    assert facts.read_current("五保户") == ["tekun"]
    assert facts.read_current("我们没有领过残疾人补贴 低保也没有") == []  # not received
    assert facts.read_emergency("老倌摔了 住院花了一万多") == ["accident", "medical_bill"]
    assert facts.read_emergency("今年干旱 苞谷都死了") == ["disaster"]
    assert facts.read_emergency("都好 这阵没遇到什么事") == []  # nothing happened, however put
    assert facts.read_emergency("他爹出车祸死了 办后事欠了钱") == ["accident", "death"]  # no medical bill
    assert facts.read_emergency("骑车摔断了手 花了三千") == ["accident", "medical_bill"]
    assert facts.read_emergency("娃娃开学要交钱 拿不出来") == ["education_bill"]


def test_a_rhetorical_question_denies_and_没了_after_an_event_is_a_death() -> None:
    assert facts.read_current("没有 像我们这样的哪里有五保") == []  # not "receives 特困"
    assert facts.read_current("哪有低保嘛") == [] and facts.read_current("低保评不上") == []
    assert facts.read_current("低保吃着的") == ["dibao"]
    assert facts.read_emergency("儿子前年出车祸没了") == ["accident", "death"]  # not a denied accident
    assert facts.read_emergency("车祸没有") == []
    assert facts.read_emergency("我爹上个月过世了") == ["death"]  # 过世 is said of people only
    assert facts.read_emergency("鸡死了好几只") is None  # 死了 alone: no person
    assert facts.read_work("我们早就不干了") is False


def test_work_said_in_the_past_is_not_work_now() -> None:
    assert facts.read_work("以前跑运输 现在做不了了") is False
    assert facts.read_work("现在在做零工") == ["self"]


def test_a_denial_with_an_indefinite_word_between_still_denies() -> None:
    assert facts.read_health("她血压高 但也不是什么大病") == {"disability": None, "illness": False}


@pytest.mark.parametrize(("text", "expected"), [
    ("户口在墨江 在元江县城租房子住", {"hukou": "yunnan_other", "area": "urban"}),
    ("本地的 住在村里", {"hukou": "yuanjiang", "area": "rural"}),
    ("四川的", {"hukou": "outside_yunnan", "area": None}),
    ("户口不在元江 在石屏", {"hukou": "yunnan_other", "area": None}),  # a denied 元江 is not local
    ("户口在红河街道 住在城里", {"hukou": "yuanjiang", "area": "urban"}),  # 元江's 街道, not 红河州
])
def test_place(text: str, expected: dict) -> None:
    assert places.read_place(text) == expected


@pytest.mark.parametrize("text", ["我家不是本地户口", "外地户口 来这边打工"])
def test_a_hukou_said_not_to_be_local_without_where_is_asked(text: str) -> None:
    assert places.read_place(text) is None


def test_ages_houses_vehicles_pensions() -> None:
    assert places.read_age("七十 七十一了") == 71 and places.read_age("快七十了") == "unknown"
    assert places.read_age("老伴比我大两岁 我七十") == 72
    assert places.read_count("哪样都没得 就几间土房") == 1 and places.read_count("没有房子 租的") == 0
    assert places.read_car("有个三轮车") is False and places.read_car("有辆面包车") is True
    assert pensions.read_pension("退休金两千八") == {"kind": "employee", "monthly": [2800.0, 2800.0]}
    # "不到三百五" caps an amount; "还不到六十" and "我才五十几" are ages, not money
    both = pensions.read_pension("我俩都领城乡养老金 我的一百六 他的一百八十几 加起来不到三百五")
    assert both is not None and both["monthly"] is not None and 340 <= both["monthly"][0] <= 350
    assert pensions.read_pension("没有 我才五十几 还领不到") == {"kind": "none", "monthly": None}
    assert pensions.read_pension("我还不到六十 没领") == {"kind": "none", "monthly": None}


def test_unseen_ways_of_saying_facts() -> None:
    assert facts.read_emergency("我爹上星期过世了") == ["death"]
    assert facts.read_emergency("老伴脑溢血 没救过来") == ["death", "illness"]
    assert facts.read_emergency("出大事了 寨子后面滑坡了") == ["disaster"]
    assert facts.read_current("没有 就是想申请低保") == []
    unreliable = facts.read_supporters("儿子在外地 过年寄点钱 平常指望不上")
    assert unreliable == {"exists": True, "can_support": False}
    assert facts.read_health("残疾证 莫得 病也没得") == {"disability": False, "illness": False}
    assert facts.read_health("证还在办 我爹得了老年痴呆")["disability"] is False  # type: ignore[index]
    assert facts.read_work("干活的 就是我儿子 在县城修车") == ["child"]
    assert facts.read_work("老倌给人家放羊 我做不动了") == ["spouse"]
    assert places.read_car("有台手扶拖拉机") is False and places.read_car("有台四轮拖拉机") is True
    assert places.read_age("我今年 七十 七十四了") == 74 and places.read_age("五十凄") == 57


def test_houses_counted_one_and_one_more_and_nobody_working_said_at_the_end() -> None:
    assert places.read_count("村里有一栋 镇上还有一套") == 2  # one, and one more
    assert places.read_count("有两套 一套在村里 还有一套在县城") == 2  # the two, then which
    assert places.read_count("老房子一个 还有一个新盖的") == 2
    assert places.read_count("有一院老房子") == 1
    assert facts.read_work("老倌病了 我要照顾他 儿子还小 所以挣钱的人一个都没有") is False
    assert facts.read_work("屋头做活的也莫得") is False


def test_numerals_written_by_sound_in_ages() -> None:
    assert places.read_age("七十久") == 79 and places.read_age("六十巴了") == 68
    from bot.dialogs.answers.members import read_household

    assert [m.age for m in read_household("我跟我外公住 外公八十久").members] == [89]


@pytest.mark.parametrize(("text", "expected"), [
    ("有个儿子 能不能养我 这个难说", {"exists": True, "can_support": None}),  # asked, not denied
    ("有 管不起", {"exists": True, "can_support": False}),  # a bare yes, then how
    ("有两个儿子 都在外面 一个都联系不上", {"exists": True, "can_support": False}),
    ("不知道他们去了哪里 好些年了", {"exists": True, "can_support": False}),  # nowhere to be found
    ("孙女还小 读小学", {"exists": True, "can_support": False}),
    ("有 儿子在城里 过得还行", {"exists": True, "can_support": True}),
    ("女儿会管的", {"exists": True, "can_support": True}),
    ("有个儿子 但是脑子有问题", {"exists": True, "can_support": False}),
    ("儿子去世了 孙子还在读初中", {"exists": True, "can_support": False}),
    ("三个子女 都成家了 各有各的难处", {"exists": True, "can_support": False}),
    ("儿子在城里开了个小店 生意还行", {"exists": True, "can_support": True}),
])
def test_supporters_asked_about_out_of_reach_too_young_or_doing_well(text: str, expected: dict) -> None:
    assert facts.read_supporters(text) == expected


def test_programmes_taken_back_or_never_granted() -> None:
    assert facts.read_current("残疾补贴 不是 是低保") == ["dibao"]  # the word taken back
    assert facts.read_current("申请过低保 没批下来") == []
    assert facts.read_current("低保没评上 有残疾补贴") == ["disability_allowance"]


def test_emergencies_said_the_other_way_round_and_school_places_won() -> None:
    assert facts.read_emergency("大事倒是没有") == []
    assert facts.read_emergency("娃娃考上高中了 学费住宿费要交") == ["education_bill"]  # 考上 is no injury
    assert facts.read_emergency("他突然晕倒了 送去医院") == ["illness"]
    assert facts.read_emergency("灶房着伙了") == ["fire"]


def test_health_well_enough_healed_and_the_others_well_beside_a_serious_illness() -> None:
    assert facts.read_health("身体都还行 没什么大毛病") == {"disability": False, "illness": False}
    assert facts.read_health("得过肺结核 现在好了")["illness"] is False
    beside = facts.read_health("老伴查出来胃癌 在化疗 其他人都没啥大毛病")
    assert beside is not None and beside["illness"] is True  # the others' health does not lighten hers


def test_supporters_answered_as_two_short_parts() -> None:
    from bot.dialogs.answers.facts import read_supporters

    assert read_supporters("有 管不到") == {"exists": True, "can_support": False}
    assert read_supporters("有的 能管") == {"exists": True, "can_support": True}
    assert read_supporters("有 在玉溪")["can_support"] is None  # type: ignore[index]


def test_help_asked_for_and_not_granted_or_taken_back_is_not_received() -> None:
    from bot.dialogs.answers.facts import read_current

    assert read_current("低保 申请过 没有评上") == []
    assert read_current("有低保 还有 五保 不是 是残疾补贴") == ["dibao", "disability_allowance"]


def test_words_typed_by_sound_and_yunnan_praise() -> None:
    from bot.dialogs.answers.facts import read_current, read_emergency, read_supporters

    assert read_current("我是五宝") == ["tekun"]
    assert read_emergency("厨房着伙了") == ["fire"]
    assert read_supporters("有个姑娘 板扎 会管的") == {"exists": True, "can_support": True}


def test_a_question_whether_they_can_is_not_that_they_cannot() -> None:
    from bot.dialogs.answers.facts import read_supporters

    assert read_supporters("有个姑娘 会不会管我不晓得")["can_support"] is None  # type: ignore[index]
    assert read_supporters("有两个儿子 能不能养 要问他们")["can_support"] is None  # type: ignore[index]


def test_a_township_named_keeps_whether_in_its_town_or_out_in_the_country() -> None:
    assert places.read_place("贵州户口 住在曼来镇上") == {"hukou": "outside_yunnan", "area": "urban"}
    assert places.read_place("本地的 在因远乡下住") == {"hukou": "yuanjiang", "area": "rural"}
    assert places.read_place("元江的 住在街子上") == {"hukou": "yuanjiang", "area": "urban"}


def test_work_said_as_a_job_nobody_said_first_and_the_resident_working_too() -> None:
    assert facts.read_work("没得哪个在干活 老伴身体也不好") is False
    assert sorted(facts.read_work("我在镇上收银 老公开大车") or []) == ["self", "spouse"]
    assert facts.read_work("以前在砖厂 后来一直没找到活 我儿子在昆明当保姆") == ["child"]  # 保姆: a job
    assert facts.read_work("能 都还能劳动") == ["self"]
    assert facts.read_work("my wife在县城上班") == ["spouse"]


def test_an_emergency_asked_about_after_not_knowing_if_it_counts() -> None:
    assert facts.read_emergency("不晓得算不算 老伴住了十来天院") == ["illness"]
    assert facts.read_emergency("不晓得算不算 儿子离婚了") == []  # asked of no sudden event: none


def test_a_serious_illness_beside_someone_well_and_houses_in_two_places() -> None:
    assert facts.read_health("老伴查出肺癌 在化疗 女儿身体还好") == {"disability": False, "illness": True}
    assert places.read_count("老家一间 城里又买了一套") == 2
    assert places.read_count("房子是我姑娘的 我自己没有") == 0


def test_the_grade_says_the_stage_before_the_school_name() -> None:
    assert facts.read_school("在元江二中读初二") == "junior"
    assert facts.read_school("在一中") == "senior"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lives with the resident
        ("没有 就一个姑娘 还在读书 跟着我", {"exists": False, "can_support": None}),
        ("儿子在外省 一年寄个三四千回来", {"exists": True, "can_support": True}),
        ("有个儿子 在监狱里", {"exists": True, "can_support": False}),
    ],
)
def test_supporters_living_with_the_resident_sending_money_or_in_prison(text: str, expected: dict) -> None:
    assert facts.read_supporters(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大儿子在贵州 七八年都没联系过", {"exists": True, "can_support": False}),
        ("姑娘嫁远了 好几年没回来看过我", {"exists": True, "can_support": False}),
        ("有个儿子 很多年没有消息", {"exists": True, "can_support": False}),
        # money still sent: in touch enough to support
        ("女儿两年没回来了 但是每个月寄三百", {"exists": True, "can_support": True}),
        # a visit, not years apart
        ("儿子在玉溪 过年才回来", {"exists": True, "can_support": None}),
    ],
)
def test_supporters_not_seen_or_heard_of_for_years_are_out_of_touch(text: str, expected: dict) -> None:
    assert facts.read_supporters(text) == expected


def test_dialect_莫_for_没_in_years_without_a_visit() -> None:
    assert facts.read_supporters("有个儿子 在广东 七八年莫回来过") == {"exists": True, "can_support": False}


def test_nobody_working_said_after_a_time_or_place() -> None:
    assert facts.read_work("姑娘年前就不干了 如今家里没有人挣钱") is False


@pytest.mark.parametrize(("text", "expected"), [
    # one member's card not yet made, another's held for years: someone has a card
    ("老伴腿脚不行 证还没去办。孙子是聋的 有残疾证", {"disability": True, "illness": None}),
    ("眼睛瞎了，证是有的，别的没有病", {"disability": True, "illness": False}),
    ("没有办残疾证", {"disability": False, "illness": False}),  # only a denial: the card words stay denied
])
def test_a_card_said_beside_another_members_card_denied(text: str, expected: dict) -> None:
    assert facts.read_health(text) == expected


@pytest.mark.parametrize("text", ["老伴糖尿病 天天打胰岛素 残疾证没得", "有病的 血糖高 吃药好几年了"])
def test_a_long_lasting_illness_is_asked_about_not_taken_as_no_illness(text: str) -> None:
    found = facts.read_health(text)
    assert found is not None and found["illness"] is None and found.get("ill_unclear") is True


def test_a_no_word_after_的_still_denies() -> None:
    assert facts.read_health("有高血压 残疾的没得")["disability"] is False
    assert facts.read_health("残疾的 腿瘸了 有证")["disability"] is True


def test_children_all_at_home_and_nobody_else_are_no_supporters() -> None:
    none = {"exists": False, "can_support": None}
    assert facts.read_supporters("娃娃还小 在读小学 老人也过世了 没有人") == none
    # a child away working who cannot help: one exists, as before
    assert facts.read_supporters("儿子在外面打工 自己都难 没得人") == {"exists": True, "can_support": False}


def test_a_pension_not_yet_drawn_for_age_is_none_and_the_age_no_amount() -> None:
    assert pensions.read_pension("没得 年纪不够 我才五十六") == {"kind": "none", "monthly": None}
    assert pensions.read_pension("有 一个月一百二") == {"kind": "residents_basic", "monthly": [120.0, 120.0]}


@pytest.mark.parametrize(("text", "expected"), [
    ("娃娃的爹 抚养费一次都没给过", {"exists": True, "can_support": False}),  # owed, never paid
    ("判了抚养费的 他一分不给", {"exists": True, "can_support": False}),
    ("两个姑娘在外头 养不养得起我 说不好", {"exists": True, "can_support": None}),  # the resident cannot tell
    ("儿子说他挣不到钱 我也不晓得真假", {"exists": True, "can_support": None}),  # a claim doubted
])
def test_supporters_owed_unpaid_or_undecided(text: str, expected: dict) -> None:
    assert facts.read_supporters(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("儿子在昆明 他自己也难 管不了", {"exists": True, "can_support": False}),  # unable stays unable
    ("姑娘在外面打工 每个月打钱回来", {"exists": True, "can_support": True}),
])
def test_supporters_said_plainly_stay_as_they_were(text: str, expected: dict) -> None:
    assert facts.read_supporters(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("老伴肾衰 在透析 证 好像没有", {"disability": False, "illness": True}),  # the card, then denied
    ("我妈脑溢血 瘫了 证没得", {"disability": False, "illness": True}),
    ("老公化疗半年了 家里其他人没事", {"disability": False, "illness": True}),  # the others are well
])
def test_health_card_denied_after_it_is_named(text: str, expected: dict) -> None:
    assert facts.read_health(text) == expected


def test_health_card_held_stays_held() -> None:
    assert facts.read_health("儿子有残疾证 二级 老伴的证没有")["disability"] is True
