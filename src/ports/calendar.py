"""Calendar: free slots, atomic booking and cancelling (B-35 to B-37, B-50).

One ``Calendar`` per studio, built from its profile's ``calendar:`` block;
``Calendars`` finds it (None: the studio has no calendar, B-37). Slot times are
timezone-aware; adapters answer in UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from core.domain.slots import Slot

__all__ = [
    "Busy",
    "Calendar",
    "CalendarError",
    "CalendarUnavailable",
    "Calendars",
    "Slot",
    "SlotTaken",
]

Busy = Slot  # a time the calendar already holds (an event, a booking)


class CalendarError(Exception):
    """Anything a calendar refuses or fails to do; the flow falls back (B-37)."""


class SlotTaken(CalendarError):
    """The slot (or part of it, or its buffer) is held by another booking (B-36)."""


class CalendarUnavailable(CalendarError):
    """The calendar failed or did not answer in time (B-37)."""


class Calendar(Protocol):
    async def free_slots(
        self, studio: str, start: datetime, end: datetime, length: timedelta, limit: int
    ) -> list[Slot]:
        """Up to ``limit`` free slots of ``length`` in ``[start, end]``, oldest first."""
        ...

    async def book(
        self, studio: str, slot: Slot, lead_id: str, title: str, description: str = ""
    ) -> str:
        """Book ``slot`` atomically; returns its reference.

        Raises :class:`SlotTaken` if any of it (plus the studio's buffer) is held.
        Idempotent per (studio, lead, slot start): booking the same slot again for
        the same lead returns the same reference, so a use case may simply retry.
        """
        ...

    async def cancel(self, studio: str, reference: str) -> None:
        """Free the booking ``reference``; cancelling an unknown or cancelled one is a no-op."""
        ...


class Calendars(Protocol):
    def of(self, studio: str) -> Calendar | None:
        """The studio's calendar; None when the studio has none (``calendar: {kind: none}``)."""
        ...
