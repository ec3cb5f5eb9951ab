"""The questionnaire measured on the independent dev sets (tests/dialogs/devsets/, provenance beside
them): CI fails above 1 % misread answers, below 95 % understood, or below 90 % of conversations
whose confirmed household is the persona's real one (issue 10)."""

from __future__ import annotations

import pytest

from bot.dialogs.screening_eval import load, score_answers
from bot.dialogs.screening_reading import read
from bot.dialogs.screening_simulator import ConversationReport, run_all

UNDERSTOOD_AT_LEAST = 0.95
MISREAD_AT_MOST = 0.01
HOUSEHOLDS_AT_LEAST = 0.90
# The second, third and fourth free-answer sets (answers-2.yaml, 737 items, answers-3.yaml, 837, and
# answers-4.yaml, 1030; half of each never read) are far from the targets. Measured (P3, readers
# fixed by concept on the even halves): second 88.2 % understood, 5.4 % misread (40; P5 87.7 %, 5.8 %);
# third 86.9 %, 5.1 % (43; P5 85.5 %, 6.2 %); fourth 82.8 %, 7.1 % (73; blind at main 80.0 %, 9.3 %,
# see PROVENANCE-answers-4.md). Their gates only stop things getting worse: about five to eight items
# of margin, so a change that trades one answer for another passes and a regression does not.
# Tighten them as the readers improve.
SECOND_UNDERSTOOD_AT_LEAST = 0.875
SECOND_MISREAD_AT_MOST = 0.06
THIRD_UNDERSTOOD_AT_LEAST = 0.86
THIRD_MISREAD_AT_MOST = 0.06
FOURTH_UNDERSTOOD_AT_LEAST = 0.82
FOURTH_MISREAD_AT_MOST = 0.08
# The sixth set (answers-6.yaml, 719 items; blind at main 86.5 % understood, 7.2 % misread, see
# PROVENANCE-answers-6.md): 91.4 % and 3.8 % (27) after the readers were fixed by concept on its even
# half (the odd half, never read, stayed at 85.8 %, 6.4 %). Gated just under that: about six and five
# items of margin.
SIXTH_UNDERSTOOD_AT_LEAST = 0.905
SIXTH_MISREAD_AT_MOST = 0.045
# The seventh set (answers-7.yaml, 607 items; blind at main 78.7 % understood, 10.9 % misread, see
# PROVENANCE-answers-7.md): 79.6 % (483) and 10.5 % (64) after B7's fixes by concept on its even half
# (odd, never read: 79.2 %, 10.9 %). Gated just under that: about five and four items of margin.
SEVENTH_UNDERSTOOD_AT_LEAST = 0.787
SEVENTH_MISREAD_AT_MOST = 0.112
# The eighth set (answers-8.yaml, 479 items; blind at main 83.5 % understood, 8.4 % misread, and
# 6.5 % misread once several figures and several people are read back, see PROVENANCE-answers-8.md).
# Gated just under that: about five items of margin.
EIGHTH_UNDERSTOOD_AT_LEAST = 0.825
EIGHTH_MISREAD_AT_MOST = 0.075
# The ninth set (answers-9.yaml, 479 items; the twelfth round, blind at main b252703 82.0 % understood,
# 7.7 % misread, see PROVENANCE-answers-9.md; 82.3 % (394) and 7.5 % (36) when it was taken in, nobody
# having read its items). Gated about 2.5 points on either side, as the eighth set's gates now are.
NINTH_UNDERSTOOD_AT_LEAST = 0.798
NINTH_MISREAD_AT_MOST = 0.100
# The tenth set (answers-10.yaml, 526 items; the thirteenth round, blind at 5489d68 85.2 % understood,
# 4.9 % misread, see PROVENANCE-answers-10.md), taken in as a development set: 89.0 % (468) and 1.3 %
# (7) after its misreads were fixed by concept. Gated just under that: about five items of margin.
TENTH_UNDERSTOOD_AT_LEAST = 0.880
TENTH_MISREAD_AT_MOST = 0.023
# A guess read back is not a misread, so reading everything back would pass the gates above: the
# first set holds the readers to confirming few answers: those with several figures or four or more
# people, where a caseworker would check (measured 106 of 881, 12.0 %; the replies a conversation
# needs, gated below, bound what that costs).
READ_BACK_AT_MOST = 0.13


@pytest.fixture(scope="module")
def answers_score():  # type: ignore[no-untyped-def]
    return score_answers(load("answers.yaml"))


def test_the_sets_are_the_independent_ones_with_their_provenance() -> None:
    from bot.dialogs.screening_eval import DEVSETS

    assert len(load("answers.yaml")) >= 600 and len(load("conversations.yaml")) >= 40
    assert len(load("answers-2.yaml")) == 737 and len(load("answers-3.yaml")) == 837
    assert len(load("answers-4.yaml")) == 1030 and len(load("answers-6.yaml")) == 719
    for note in ("PROVENANCE-answers.md", "PROVENANCE-conversations.md", "PROVENANCE-answers-2.md"):
        assert "did not open" in (DEVSETS / note).read_text(encoding="utf-8")
    assert "no product code" in (DEVSETS / "PROVENANCE-answers-3.md").read_text(encoding="utf-8")
    assert "no product files" in (DEVSETS / "PROVENANCE-answers-4.md").read_text(encoding="utf-8")
    assert "I did not open /work/main" in (DEVSETS / "PROVENANCE-answers-6.md").read_text(encoding="utf-8")
    assert len(load("answers-7.yaml")) == 607
    assert "Did NOT open /work/main" in (DEVSETS / "PROVENANCE-answers-7.md").read_text(encoding="utf-8")
    assert len(load("answers-8.yaml")) == 479
    assert "Nothing under /work/main" in (DEVSETS / "PROVENANCE-answers-8.md").read_text(encoding="utf-8")
    assert len(load("answers-9.yaml")) == 479
    assert "Did not open, list or search /work/main" in (DEVSETS / "PROVENANCE-answers-9.md").read_text(
        encoding="utf-8")
    assert len(load("answers-10.yaml")) == 526
    assert "I did not open, list or search /work/main" in (DEVSETS / "PROVENANCE-answers-10.md").read_text(
        encoding="utf-8")


def test_free_answers_are_understood(answers_score) -> None:  # type: ignore[no-untyped-def]
    print(f"understood {answers_score.understood_rate:.1%}, misread {answers_score.misread_rate:.1%}")
    assert answers_score.understood_rate >= UNDERSTOOD_AT_LEAST


def test_misread_answers_are_at_most_one_percent(answers_score) -> None:  # type: ignore[no-untyped-def]
    assert answers_score.misread_rate <= MISREAD_AT_MOST


def test_few_answers_are_read_back(answers_score) -> None:  # type: ignore[no-untyped-def]
    assert answers_score.read_back / answers_score.total <= READ_BACK_AT_MOST


# Each later set's gates only stop it getting worse: (file, understood at least, misread at most).
LATER_SETS = [
    ("answers-2.yaml", SECOND_UNDERSTOOD_AT_LEAST, SECOND_MISREAD_AT_MOST),
    ("answers-3.yaml", THIRD_UNDERSTOOD_AT_LEAST, THIRD_MISREAD_AT_MOST),
    ("answers-4.yaml", FOURTH_UNDERSTOOD_AT_LEAST, FOURTH_MISREAD_AT_MOST),
    ("answers-6.yaml", SIXTH_UNDERSTOOD_AT_LEAST, SIXTH_MISREAD_AT_MOST),
    ("answers-7.yaml", SEVENTH_UNDERSTOOD_AT_LEAST, SEVENTH_MISREAD_AT_MOST),
    ("answers-8.yaml", EIGHTH_UNDERSTOOD_AT_LEAST, EIGHTH_MISREAD_AT_MOST),
    ("answers-9.yaml", NINTH_UNDERSTOOD_AT_LEAST, NINTH_MISREAD_AT_MOST),
    ("answers-10.yaml", TENTH_UNDERSTOOD_AT_LEAST, TENTH_MISREAD_AT_MOST),
]


@pytest.mark.parametrize("name,understood_at_least,misread_at_most", LATER_SETS)
def test_a_later_set_does_not_get_worse(name: str, understood_at_least: float,
                                        misread_at_most: float) -> None:
    score = score_answers(load(name))
    print(f"{name}: understood {score.understood_rate:.1%}, misread {score.misread_rate:.1%}")
    assert score.understood_rate >= understood_at_least
    assert score.misread_rate <= misread_at_most


def test_a_set_can_be_halved() -> None:
    items = load("answers-2.yaml")
    even, odd = load("answers-2.yaml", "even"), load("answers-2.yaml", "odd")
    assert even == items[0::2] and odd == items[1::2] and len(even) + len(odd) == len(items)


async def test_conversations_confirm_the_real_household() -> None:
    conversations: ConversationReport = await run_all(load("conversations.yaml"))
    print("\n".join(conversations.lines()))
    assert conversations.household_rate >= HOUSEHOLDS_AT_LEAST


def test_an_answer_checked_with_the_resident_is_not_accepted() -> None:
    # someone ill, whether seriously is the next question: checked with the resident, not accepted
    score = score_answers([{"topic": "health", "text": "有病 肺上的病 残疾证不得",
                            "expected": {"disability": False, "illness": True}}])
    assert (score.read_back, score.misread, score.not_understood) == (1, 0, 1)


def test_a_guess_read_back_is_a_re_ask_when_wrong_and_understood_when_right() -> None:
    assert read("income", "一个月八百") == [800.0, 800.0]
    added = "我一个月四百 老伴一个月三百"
    items = [
        {"topic": "income", "text": added, "expected": [700, 700]},  # read back, right
        {"topic": "income", "text": added, "expected": [400, 400]},  # read back, wrong
        {"topic": "income", "text": "一个月八百", "expected": [500, 500]},  # kept, wrong
    ]
    score = score_answers(items)
    assert (score.read_back, score.read_back_wrong) == (2, 1)
    assert (score.correct, score.not_understood, score.misread) == (1, 1, 1)
