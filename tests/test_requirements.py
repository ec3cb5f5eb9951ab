"""The runtime pins are exactly what the service imports, and `make run` installs only those.

A pin nothing imports (a library's own dependency, a leftover) is a version we would have to keep
up for no reason; an import without a pin works only while another package happens to bring it.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Installed for what they provide, never imported by name.
NOT_IMPORTED = {"tzdata": "zoneinfo's Asia/Shanghai where the OS has no time-zone database",
                "uvloop": "uvicorn's event loop (its `loop=\"auto\"` takes it when installed)",
                "httptools": "uvicorn's HTTP parser (its `http=\"auto\"` takes it when installed)"}


def _name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"{line}: not pinned exactly"
            pins[_name(re.sub(r"\[.*\]", "", name))] = version
    return pins


def _imported_distributions() -> set[str]:
    modules: set[str] = set()
    for path in [*(ROOT / "bot").rglob("*.py"), ROOT / "server.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = importlib.metadata.packages_distributions()
    third_party = modules - set(sys.stdlib_module_names) - {"bot"}
    return {_name(dist) for module in third_party for dist in owners.get(module, [module])}


def test_runtime_pins_are_the_imports() -> None:
    pins = set(_pins(ROOT / "requirements.txt"))
    imported = _imported_distributions()
    assert sorted(imported - pins) == []  # imported but not pinned
    assert sorted(pins - imported - set(NOT_IMPORTED)) == []  # pinned but never imported


def test_make_run_installs_the_runtime_set_only(tmp_path: Path) -> None:
    plan = subprocess.run(["make", "-n", "run", f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert "-r requirements.txt" in plan and "requirements-dev.txt" not in plan
    plan = subprocess.run(["make", "-n", "test", f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert "-r requirements-dev.txt" in plan
