"""A server's warm-up loads what the questionnaire and the application read answers with.

Checked in a fresh process built as `server.py` builds a worker's app: in this test process
earlier tests have long since loaded everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.servers import ROOT

PROBE = """
import inspect, json, sys
from bot.app import create_app
from bot.settings import Settings

def empty():
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith(("bot.dialogs", "bot.application")):
            continue
        for attr, value in list(vars(module).items()):
            if (callable(getattr(value, "cache_info", None)) and value.__module__ == name
                    and not inspect.signature(value).parameters and not value.cache_info().currsize):
                found.append(f"{name}.{attr}")
    return sorted(found)

before = empty()
create_app(Settings(_env_file=None), knowledge_in_background=True)
print(json.dumps({"before": before, "after": empty(), "modules": sorted(sys.modules)}))
"""


def test_a_servers_app_has_the_readers_and_word_lists_loaded_once_built() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    seen = json.loads(done.stdout.splitlines()[-1])
    assert "bot.application.payload._validator" in seen["before"]  # lazy until warm-up
    assert seen["after"] == []
    assert {"bot.dialogs.answers.earnings", "bot.dialogs.answers.property",
            "bot.dialogs.answers.hardship", "bot.application.payload"} <= set(seen["modules"])

