"""The resident's last screening result, read through the questionnaire's own store.

Why: the application flow and deletion both need it, and the store belongs to the questionnaire
(`bot.screening_results`); this is the one place that knows how to open it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.services import Services


def screening_results(services: Services) -> Any:
    """`ScreeningResults` on the service's Redis: `load(user) -> dict | None`, `delete(user)`."""
    from bot.screening_results import ScreeningResults

    return ScreeningResults(services.redis, services.sealer, services.settings.draft_ttl)
