"""The safety net: every message is checked for danger to life before anything else.

`detect(text)` answers with a `Danger` (category, the emergency numbers in order, one caring
sentence) or None. The cues are data staff edit (`cues.yaml`, the pattern language of
`bot/phrases/`), the numbers come from `bot/data/emergency_numbers.yaml`, and every danger
message is counted per category and day without user or text (`counts.py`).
"""

from __future__ import annotations

from functools import cache

from bot.safety.detector import Danger, Detector
from bot.safety.net import SafetyNet

__all__ = ["Danger", "Detector", "SafetyNet", "detect", "safety_net"]


@cache
def safety_net() -> SafetyNet:
    """The process's safety net over the shipped cue file (loaded once, reloaded on edit)."""
    return SafetyNet()


def detect(text: str) -> Danger | None:
    return safety_net().detect(text)
