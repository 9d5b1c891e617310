"""Domain and system events: the audit trail the artist can read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """Something worth recording: a transition, a data fault, a dead letter..."""

    kind: str  # e.g. "unknown_status", "dead_letter", "signature_failed"
    at: datetime
    lead_id: str | None = None
    studio: str | None = None
    detail: dict[str, Any] = {}
    level: str = "info"  # info, warning, error
