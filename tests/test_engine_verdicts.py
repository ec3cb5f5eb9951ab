"""The engine runs the safety net once per message, however many layers ask, and never serves a
verdict from cues that were replaced since."""

from __future__ import annotations

import time

from bot.engine import Engine, Message
from bot.safety import SafetyNet
from bot.safety.detector import Detector
from bot.services import Services

DANGER = "我不想活了"


class CountingDetector(Detector):
    def __init__(self, base: Detector) -> None:
        super().__init__(base.book)
        self.calls = 0

    def detect(self, text: str):  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().detect(text)


async def test_one_message_is_matched_against_the_cues_once(services: Services) -> None:
    net = SafetyNet()
    net.detector = counting = CountingDetector(net.detector)
    engine = Engine(services, safety=net)
    assert engine.safety_reply(DANGER) is not None  # the webhook asks first
    replies = await engine.handle(Message(user="oVerdict", text=DANGER))
    assert replies and counting.calls == 1


def test_a_reloaded_cue_file_is_asked_again(services: Services) -> None:
    net = SafetyNet()
    engine = Engine(services, safety=net)
    assert engine.detect(DANGER) is not None
    net.detector = reloaded = CountingDetector(net.detector)
    assert engine.detect(DANGER) is not None and reloaded.calls == 1


def test_a_text_sent_again_later_is_not_matched_again_and_no_text_is_kept(services: Services) -> None:
    net = SafetyNet()
    for _ in range(1200):  # the trained model replaces the detector once: wait for it
        if net.trained:
            break
        time.sleep(0.1)
    net.detector = counting = CountingDetector(net.detector)
    engine = Engine(services, safety=net)
    assert engine.detect(DANGER) is not None
    for n in range(200):  # other residents' messages in between
        engine.detect(f"低保怎么申请{n}")
    assert engine.detect(DANGER) is not None and counting.calls == 201
    assert all(isinstance(key, bytes) and len(key) == 16 for key in engine._verdicts)  # digests only
