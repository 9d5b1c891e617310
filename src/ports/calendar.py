"""Calendar: free slots and booking (B-35 to B-37)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import msgspec


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime
    end: datetime


class CalendarError(Exception):
    pass


class SlotTaken(CalendarError):
    pass


class CalendarUnavailable(CalendarError):
    pass


class Calendar(Protocol):
    async def free_slots(
        self, studio: str, start: datetime, end: datetime, length: timedelta, limit: int
    ) -> list[Slot]: ...

    async def book(self, studio: str, slot: Slot, lead_id: str, title: str) -> str:
        """Book ``slot``; returns a booking reference; raises :class:`SlotTaken`."""
        ...
