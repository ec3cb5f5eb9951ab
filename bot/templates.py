"""Jinja2 rendering for everything residents read: chat texts (`chat/…/*.txt`) and pages (`*.html`).

Resident-facing Chinese lives in `bot/templates/`, never in Python strings. HTML templates
autoescape; chat templates are plain text, so their variables are rendered as given.
Templates ship with the release like the code, so each is compiled once per process and not
checked against its file again (`auto_reload=False`): a changed template takes a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATE_DIR = Path(__file__).parent / "templates"


class Templates:
    def __init__(self, globals_: dict[str, Any] | None = None, root: Path = TEMPLATE_DIR) -> None:
        self.env = Environment(
            loader=FileSystemLoader(root),
            autoescape=select_autoescape(["html", "xml"]),
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            auto_reload=False,  # no stat() of the file on every render
        )
        self.env.globals.update(globals_ or {})

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context).strip()
