"""The safety net on the independently written development set (see devset/PROVENANCE.md)."""

from bot.safety import safety_net
from bot.safety.evaluate import FALSE_ALARM_MAX, RECALL_MIN, evaluate, load_devset


def test_recall_and_false_alarms_on_the_development_set() -> None:
    cases = load_devset()
    assert sum(c.danger for c in cases) >= 150 and sum(not c.danger for c in cases) >= 150
    result = evaluate(safety_net().wait().detect, cases)
    assert result.recall >= RECALL_MIN, f"recall {result.recall:.3f}"
    assert result.false_alarms <= FALSE_ALARM_MAX, f"false alarms {result.false_alarms:.3f}"
    assert result.numbers_right >= 0.95
