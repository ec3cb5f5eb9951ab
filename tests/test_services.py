"""The services container: every store built once, on one client; adapters get only their stores."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fakeredis import FakeAsyncRedis

from bot.handoff import LinkHandoff, TownshipHandoff
from bot.handoff.outbox import HttpHandoff
from bot.services import build_services
from bot.settings import Settings


@pytest.mark.parametrize(("mode", "adapter"), [("link", LinkHandoff), ("township", TownshipHandoff),
                                              ("http", HttpHandoff)])
def test_every_store_and_the_chosen_adapter_are_always_there(mode: str, adapter: type) -> None:
    settings = Settings(_env_file=None, handoff=mode, intake_url="http://127.0.0.1:9/in", intake_secret="s")
    redis = FakeAsyncRedis()
    services = build_services(settings, redis=redis)
    assert isinstance(services.handoff, adapter)
    assert services.handoff.applications is services.applications  # type: ignore[attr-defined]
    for store in (services.applications, services.screenings, services.sessions, services.turns):
        assert store.redis is redis  # type: ignore[attr-defined]


def test_the_hand_off_package_does_not_need_the_services() -> None:
    code = "import sys, bot.handoff, bot.handoff.outbox; print('bot.services' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
