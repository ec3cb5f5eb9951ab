"""Today's verdicts equal the recorded verdicts of the shipped cues and model on every message of the sets."""

from bot.safety import record, safety_net
from bot.safety.detector import Danger


def test_the_record_is_of_the_data_as_they_are() -> None:
    data, _ = record.read()
    assert data == record.data_digest(), (
        "the cue file or the training data changed since tests/safety/verdicts.json was written: "
        "review `python -m bot.safety record` and write it with --write")


def test_no_verdict_differs_from_the_record() -> None:
    _, recorded = record.read()
    texts = record.messages()
    now = record.verdicts(safety_net().wait().detect, texts)
    assert len(now) > 2000
    assert sum(v is not None for v in now.values()) > 500
    differ = record.changes(recorded, now, texts)
    assert not differ, f"{len(differ)} verdicts differ, first: " + "\n".join(differ[:10])


def test_a_changed_verdict_is_reported_by_its_text() -> None:
    texts = ["家里着火了", "今天天气好"]
    recorded = record.verdicts(lambda text: None, texts)
    fire = Danger("fire", ("fire",), (), "", ("着火",))
    now = record.verdicts(lambda text: fire if "火" in text else None, texts)
    assert record.changes(recorded, now, texts) == ["家里着火了: None -> [['fire'], [], ['着火']]"]
    assert record.changes(recorded, recorded, texts) == []
