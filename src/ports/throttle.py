"""Throttle: at most N messages per second per sending number (B-29)."""

from __future__ import annotations

from typing import Protocol


class Throttle(Protocol):
    async def acquire(self, sender: str) -> None:
        """Wait until one more message may leave from ``sender`` (the studio's number id)."""
        ...
