"""What an application (or a report about someone in need) is once stored: a small record.

Why: the chat, the H5 page, the hand-off adapters and the township staff pages all read the same
record. Its envelope (status, history, township, times) holds no personal data so queues can be
listed without decrypting anything; everything personal lives in `payload`, which the store seals.
The payload's shape is versioned (`schema_version`) and described in `schema/application-v1.json`.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from bot import clock

LABELS_PATH = Path(__file__).parent / "labels.yaml"

Kind = Literal["application", "report"]


class Status(StrEnum):
    DRAFT = "draft"
    GENERATED = "generated"  # the page exists; nothing has been submitted anywhere
    HANDED_TO_TOWNSHIP = "handed_to_township"  # in the township staff queue
    KEPT = "kept"  # in a township's queue that no staff account can open yet: not delivered
    DELIVERED = "delivered"  # accepted by the county's intake endpoint
    FAILED = "failed"  # delivery to the intake endpoint gave up


@cache
def labels() -> dict[str, Any]:
    """Resident-facing names (statuses, causes, pending fields) from `labels.yaml`."""
    return yaml.safe_load(LABELS_PATH.read_text(encoding="utf-8"))


def now_iso(now: datetime | None = None) -> str:
    return (now or clock.now()).astimezone(UTC).isoformat(timespec="seconds")


def local_time(iso: str) -> str:
    """`2025-08-01T06:30:00+00:00` → `2025-08-01 14:30` (Beijing time), for residents."""
    return datetime.fromisoformat(iso).astimezone(clock.LOCAL).strftime("%Y-%m-%d %H:%M")


@dataclass
class ApplicationRecord:
    id: str
    kind: Kind
    user_key: str  # sealer.pseudonym(user): never the openid itself
    township_code: str
    status: Status
    history: list[dict[str, str]]  # [{"status", "at"}], oldest first
    payload: dict[str, Any]
    created_at: str
    updated_at: str

    @classmethod
    def new(cls, kind: Kind, user_key: str, township_code: str, payload: dict[str, Any],
            status: Status = Status.DRAFT, now: datetime | None = None) -> ApplicationRecord:
        at = now_iso(now)
        return cls(
            id=secrets.token_urlsafe(16), kind=kind, user_key=user_key, township_code=township_code,
            status=status, history=[{"status": str(status), "at": at}], payload=payload,
            created_at=at, updated_at=at,
        )

    def envelope(self) -> dict[str, Any]:
        """Everything but the payload: safe to keep unsealed."""
        data = asdict(self)
        data.pop("payload")
        data["status"] = str(self.status)
        return data

    @classmethod
    def from_parts(cls, envelope: dict[str, Any], payload: dict[str, Any]) -> ApplicationRecord:
        return cls(**{**envelope, "status": Status(envelope["status"]), "payload": payload})


def status_label(status: Status | str) -> str:
    return labels()["statuses"][str(status)]
