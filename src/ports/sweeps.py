"""Sweeps: finding the leads a time-driven job may be due for, and claiming them (B-38)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec

from core.domain.lead import Lead

# Which time a due query compares with ``before``.
QUIET = "quiet"  # the client's last message
CREATED = "created"  # the lead's creation (an upper bound on when it entered its status)
UPDATED = "updated"  # the last save of the lead


class DueQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Leads of ``studio`` in one of ``statuses``, not erased, whose ``since`` time is at
    or before ``before`` (no time condition when ``since`` is None). A superset of the
    due leads: the decision says what is really due."""

    studio: str
    statuses: tuple[str, ...]
    since: str | None = None
    before: datetime | None = None


class Sweeps(Protocol):
    async def due(self, query: DueQuery, limit: int) -> list[str]:
        """Lead ids, oldest first."""
        ...

    async def try_lock(self, lead_id: str) -> Lead | None:
        """Hold the lead until commit, or None at once if another unit of work holds it
        (``FOR UPDATE SKIP LOCKED``) or it is gone: each due lead is handled once."""
        ...
