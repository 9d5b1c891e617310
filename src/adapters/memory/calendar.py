"""A working-hours calendar in memory (B-35 to B-37), the same semantics as the SQL one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from core.domain.slots import Opening, SlotRules, free_slots
from ports.calendar import Calendar, CalendarUnavailable, Slot, SlotTaken

WorkingHours = Sequence[tuple[int, time, time]]  # (weekday: Monday is 0, opens, closes)


class CalendarEntry(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    studio: str
    slot: Slot
    lead_id: str
    title: str
    description: str = ""
    cancelled: bool = False


class MemoryCalendar:
    """``Calendar`` port: slots inside working hours, minus bookings and busy times.

    Slots follow :func:`core.domain.slots.free_slots` (start at opening time in the
    studio's zone, ``buffer`` kept around every booking and busy time), in UTC,
    oldest first. ``busy(studio, start, end)`` blocks time as another calendar
    entry would; ``fail = True`` makes every call raise :class:`CalendarUnavailable`.
    """

    def __init__(
        self,
        hours: WorkingHours,
        tz: str | ZoneInfo = "UTC",
        buffer: timedelta = timedelta(0),
        step: timedelta = timedelta(minutes=15),
    ) -> None:
        self.fail = False
        self.bookings: list[CalendarEntry] = []
        zone = tz.key if isinstance(tz, ZoneInfo) else tz
        openings = tuple(Opening(weekday=w, opens=o, closes=c) for w, o, c in hours)
        self.rules = SlotRules(zone=zone, hours=openings, buffer=buffer, step=step)
        self._busy: list[tuple[str, Slot]] = []

    def busy(self, studio: str, start: datetime, end: datetime) -> None:
        self._busy.append((studio, Slot(start=start, end=end)))

    async def free_slots(
        self, studio: str, start: datetime, end: datetime, length: timedelta, limit: int
    ) -> list[Slot]:
        self._check()
        return free_slots(self.rules, start, end, length, self._held(studio), limit)

    async def book(
        self, studio: str, slot: Slot, lead_id: str, title: str, description: str = ""
    ) -> str:
        self._check()
        for entry in self._active(studio):
            if entry.lead_id == lead_id and entry.slot.start == slot.start:
                return entry.reference  # a retry of the same booking
        if any(slot.clashes(held, self.rules.buffer) for held in self._held(studio)):
            raise SlotTaken(f"{slot.start.isoformat()} is no longer free")
        reference = f"booking_{len(self.bookings) + 1}"
        entry = CalendarEntry(
            reference=reference,
            studio=studio,
            slot=slot,
            lead_id=lead_id,
            title=title,
            description=description,
        )
        self.bookings.append(entry)
        return reference

    async def cancel(self, studio: str, reference: str) -> None:
        self._check()
        self.bookings = [
            msgspec.structs.replace(b, cancelled=True)
            if b.studio == studio and b.reference == reference
            else b
            for b in self.bookings
        ]

    def _check(self) -> None:
        if self.fail:
            raise CalendarUnavailable("memory calendar switched off")

    def _active(self, studio: str) -> list[CalendarEntry]:
        return [b for b in self.bookings if b.studio == studio and not b.cancelled]

    def _held(self, studio: str) -> list[Slot]:
        return [b.slot for b in self._active(studio)] + [s for o, s in self._busy if o == studio]


class MemoryCalendars:
    """``Calendars`` port over a dict (studio id -> calendar; absent: no calendar)."""

    def __init__(self, calendars: dict[str, Calendar] | None = None) -> None:
        self.calendars = dict(calendars or {})

    def of(self, studio: str) -> Calendar | None:
        return self.calendars.get(studio)
