from bot.dialogs.intent_guards import beside, clauses, more_than, negated
from bot.phrases import Hit, prepare


def _hit(text: str, word: str, gaps: tuple[tuple[int, int], ...] = ()) -> Hit:
    start = text.index(word)
    return Hit("g", word, start, start + len(word), False, gaps)


def test_chit_chat_is_beside_a_request_only_as_a_clause_of_its_own() -> None:
    text = prepare("好，那我现在申请").text
    assert beside(_hit(text, "好"), text)
    alone = prepare("好").text
    assert not beside(_hit(alone, "好"), alone)  # the whole message
    part = prepare("这个机器憨得很").text
    assert not beside(_hit(part, "机器"), part)  # part of what is said


def test_more_than_and_clauses_count_what_is_said_besides_the_words_heard() -> None:
    text = prepare("谢谢，我还想问一下").text
    assert more_than(_hit(text, "谢谢"), text)
    thanks = prepare("谢谢").text
    assert not more_than(_hit(thanks, "谢谢"), thanks)
    assert clauses(text) == 2 and clauses(thanks) == 1


def test_a_negation_right_before_cancels_but_an_a_not_a_question_in_a_gap_does_not() -> None:
    text = prepare("我不想删除").text
    assert negated(_hit(text, "想删除"), [_hit(text, "不")], text)
    assert not negated(_hit(text, "删除"), [_hit(text, "不")], text)  # not right before
    asks = prepare("测一下有没有救助").text
    gap = (asks.index("有"), asks.index("救"))
    heard = Hit("g", "测…救助", asks.index("测"), asks.index("助") + 1, False, (gap,))
    assert not negated(heard, [_hit(asks, "没")], asks)  # 有没有 asks; it does not deny
    denies = prepare("测一下不救助").text
    gap = (denies.index("一"), denies.index("救"))
    heard = Hit("g", "测…救助", denies.index("测"), denies.index("助") + 1, False, (gap,))
    assert negated(heard, [_hit(denies, "不")], denies)
