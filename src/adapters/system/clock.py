"""The real clock (B-39): timezone-aware UTC, always."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """``Clock`` port on the system's wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)
