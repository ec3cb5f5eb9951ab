"""The registry of answer kinds: parse, describe, bare numbers; the application's personal answers."""

from datetime import date

from bot.application.identity import check_digit
from bot.dialogs.answers.kinds import KINDS, Ask

ASK = Ask(date(2026, 12, 1), size=2)


def test_every_kind_parses_describes_and_says_if_a_number_is_an_answer() -> None:
    samples = {"amount_monthly": "三四百", "age": "七十一", "members": "老伴62", "health": "都没有",
               "years": "两年", "count": "一处", "phone": "138 8765 4321"}
    for name, text in samples.items():
        parsed = KINDS[name].parse(text, ASK)
        assert parsed is not None and parsed.value is not None, name
        assert KINDS[name].describe(parsed.value, ASK)
    assert KINDS["amount_monthly"].takes_number and KINDS["age"].takes_number
    assert not KINDS["members"].takes_number and not KINDS["yes_no"].takes_number


def test_a_huge_number_is_a_clear_re_ask() -> None:
    parsed = KINDS["amount_monthly"].parse("1" * 27, ASK)
    assert parsed is not None and parsed.value is None and parsed.problem == "too_long"


def test_phones_as_people_type_them() -> None:
    read = KINDS["phone"].parse
    assert read("138 8765 4321 是我外孙的", ASK).value == "13887654321"
    assert read("幺三八八七六五四三二幺", ASK).value == "13887654321"
    assert read("1388765432", ASK).problem == "invalid"
    assert read("13887654321 不对 是13987654321", ASK).value == "13987654321"  # said again whole
    assert read("幺三八八七六五四三二幺 说错了 最后两位是幺五", ASK).value == "13887654315"  # only its end
    two = "我的是13887654321 打不通就打邻居家的 他们的是13912345678"
    assert read(two, ASK).value == "13887654321"  # of two numbers, the one said as their own
    # a group started, then said again whole at the start of the next (voice input)
    assert read("幺八 幺八七 二二 三三 四四 五五", ASK).value == "18722334455"
    assert read("一八七二二三三四四五五五", ASK).problem == "invalid"  # a stray digit: asked again
    assert read("一八七 二二三三 四四五五 四四五五", ASK).value == "18722334455"  # a group said twice
    assert read("13887654321 13912345678", ASK).problem == "invalid"  # neither said as theirs


def test_an_id_that_does_not_fit_the_age_given_is_queried() -> None:
    body = "53042819550315002"
    number = body + check_digit(body)
    fits = KINDS["id_number"].parse(f"{number} 是我的", Ask(date(2026, 12, 1), age=71))
    assert fits.value["id_number"] == number and fits.readback is None
    young = KINDS["id_number"].parse(number, Ask(date(2026, 12, 1), age=45))
    assert young.readback == "mismatch"
    assert KINDS["id_number"].parse(number[:-1] + "0" if number[-1] != "0" else "1", ASK).problem
    typed = KINDS["id_number"].parse(number.replace("1", "l", 1), Ask(date(2026, 12, 1), age=71))
    assert typed.value["id_number"] == number  # a lower-case l typed for 1


def test_names_townships_villages() -> None:
    assert KINDS["name"].parse("我叫李春花", ASK).value == "李春花"
    assert KINDS["township"].parse("我是因远的", ASK).value == "530428009"
    assert KINDS["township"].parse("3", ASK).value == "530428003"
    assert KINDS["village"].parse("我是因远镇安仁村的", ASK).value == "安仁村"


def test_amounts_read_back_in_words() -> None:
    parsed = KINDS["amount_monthly"].parse("打工两千 老伴养老金一百多", ASK)
    assert "2000元" in KINDS["amount_monthly"].describe(parsed.value, ASK)
    assert "养老金" in KINDS["amount_monthly"].describe(parsed.value, ASK)


def test_a_reply_that_corrects_itself_is_read_by_the_correction() -> None:
    ask = Ask(date(2026, 12, 1))
    income = KINDS["amount_monthly"].parse("五百 不对不对 是四百", ask)
    assert income is not None and income.value["low"] == 400
    grade = KINDS["disability_grade"].parse("应该是三级 不对 我看了证 是二级", ask)
    assert grade is not None and grade.value == 2
    members = KINDS["members"].parse("老伴 儿子 刚才说错了 还有孙子", ask)  # a household is read whole
    assert members is not None and len(members.value["members"]) == 3


def test_a_reply_that_starts_unsure_without_a_figure_is_unknown() -> None:
    ask = Ask(date(2026, 12, 1))
    unsure = KINDS["amount_total"].parse("记不清了 可能有 可能又没有", ask)
    assert unsure is not None and unsure.unknown
    supporters = KINDS["supporters"].parse("不想说 这是家里的事", ask)
    assert supporters is not None and supporters.unknown
    counted = KINDS["amount_total"].parse("不清楚 大概两千", ask)
    assert counted is not None and counted.value["low"] == 1800


def test_an_amount_is_read_back_when_it_is_a_guess_and_kept_when_it_is_sure() -> None:
    def why(text: str, name: str = "amount_monthly") -> str | None:
        parsed = KINDS[name].parse(text, ASK)
        assert parsed is not None and parsed.value is not None, text
        return parsed.readback if parsed.unsure else None

    assert why("我打零工一个月六百 老伴一个月两百") == "unsure:sum"  # added up by the bot
    assert why("看病自己出了一万 报了以后还有一万多", "amount_total") == "unsure:sum"
    assert why("有时候几十 有时候上千") == "unsure:range"  # no figure in it
    assert why("没有 真的没有 就是卡上三四百", "amount_total") == "unsure:contrary"  # a no, then a figure
    # several figures, some taken off or left out: which were kept is the reader's choice
    assert why("种甘蔗卖一万五 化肥去掉五千") == "unsure:several"
    assert why("儿子给三百 低保两百多") == "unsure:several"
    assert why("一个月七百 不对 七百五 今年涨了点") is None  # corrected: one figure, for a month
    for sure in ("一个月八百", "三四百", "一两千", "七百五 今年涨了点"):
        assert why(sure) is None, sure


def test_children_named_without_their_means_are_confirmed() -> None:
    def supporters(text: str) -> tuple[dict, bool]:
        parsed = KINDS["supporters"].parse(text, ASK)
        assert parsed is not None
        return parsed.value, parsed.unsure

    assert supporters("有个儿子在外省") == ({"exists": True, "can_support": None}, True)
    assert supporters("有个儿子 他自己都难") == ({"exists": True, "can_support": False}, False)
    assert supporters("有个姑娘 不晓得她管不管") == ({"exists": True, "can_support": None}, False)


def test_a_little_over_and_durations_held_or_said_loosely() -> None:
    amount = KINDS["amount_total"].parse("存了一万多点", ASK)
    assert amount is not None and (amount.value["low"], amount.value["high"]) == (10000, 11500)
    held = KINDS["years"].parse("办了两年零十一个月了 听说要满三年 再等几个月就够了", ASK)
    assert held is not None and held.value == 2.92 and not held.unsure  # the time held, not the time wanted
    loose = KINDS["years"].parse("好像两年多了", ASK)
    assert loose is not None and loose.unsure


def test_a_consent_on_a_condition_and_money_in_pinyin() -> None:
    assert KINDS["consent"].parse("不拿去给别人看的话就同意", ASK).value is True
    assert KINDS["consent"].parse("不同意", ASK).value is False
    said = KINDS["amount_monthly"].parse("yi ge yue wu liu bai kuai qian", ASK).value
    assert said is not None and (said["low"], said["high"]) == (500.0, 600.0)  # kuai qian: 块钱



def test_a_supporter_out_of_reach_is_taken_as_unable_and_read_back() -> None:
    parsed = KINDS["supporters"].parse("有个女儿 好多年联系不上了", ASK)
    assert parsed is not None and parsed.value == {"exists": True, "can_support": False}
    assert parsed.unsure  # whether the township counts her so is confirmed, not assumed
    plain = KINDS["supporters"].parse("有个女儿 她自己都难 管不了", ASK)
    assert plain is not None and plain.value["can_support"] is False and not plain.unsure


def test_a_refusal_about_health_is_not_known_while_a_fact_beside_one_is_kept() -> None:
    refused = KINDS["health"].parse("病的事 我不方便说", ASK)
    assert refused is not None and refused.unknown
    kept = KINDS["health"].parse("老伴得了癌 别的不想说", ASK)
    assert kept is not None and kept.value["illness"] is True


def test_not_knowing_how_to_say_it_then_the_answer_is_the_answer() -> None:
    place = KINDS["place"].parse("不晓得怎么说 反正住在山上的寨子", ASK)
    assert place is not None and place.value == {"hukou": "yuanjiang", "area": "rural"}
    school = KINDS["school"].parse("记不得几年级 反正在读初中", ASK)
    assert school is not None and school.value == "junior"
    vague = KINDS["amount_monthly"].parse("记不清了 有时候有有时候没有", ASK)
    assert vague is not None and vague.unknown
    referred = KINDS["members"].parse("人多 我说不清楚 你去问我儿子", ASK)
    assert referred is not None and referred.unknown  # whom to ask, not the household


def test_a_name_typed_for_someone_else_and_in_traditional_characters() -> None:
    for text, name in (("我是李建国 帮我爹问 申请人是我爹 叫李国祥", "李国祥"), ("張麗華", "張麗華"),
                       ("我叫王秀英", "王秀英")):
        parsed = KINDS["name"].parse(text, ASK)
        assert parsed is not None and parsed.value == name


def test_an_income_of_only_money_not_counted_is_read_back() -> None:
    parsed = KINDS["amount_monthly"].parse("就是领点养老金 一个月一百七 其他莫得", ASK)
    assert parsed is not None and parsed.value["high"] == 0 and parsed.readback == "unsure:left_out"
    kept = KINDS["amount_monthly"].parse("种菜卖一个月三百", ASK)  # earnings: kept as said
    assert kept is not None and kept.value["low"] == 300 and kept.readback is None
