"""A working-hours calendar in memory (B-35 to B-37)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from ports.calendar import CalendarUnavailable, Slot, SlotTaken

WorkingHours = Sequence[tuple[int, time, time]]  # (weekday: Monday is 0, opens, closes)


class CalendarEntry(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    studio: str
    slot: Slot
    lead_id: str
    title: str


class MemoryCalendar:
    """``Calendar`` port: slots inside working hours, minus bookings and busy times.

    Slots start at opening time and every ``step`` (default: the slot length)
    after it, in the studio's time zone; they are returned in UTC, oldest first.
    ``busy(studio, start, end)`` blocks time as another calendar entry would;
    ``fail = True`` makes every call raise :class:`CalendarUnavailable`.
    """

    def __init__(
        self,
        hours: WorkingHours,
        tz: str | ZoneInfo = "UTC",
        step: timedelta | None = None,
    ) -> None:
        self.fail = False
        self.bookings: list[CalendarEntry] = []
        self._hours = tuple(hours)
        self._zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self._step = step
        self._busy: list[tuple[str, datetime, datetime]] = []

    def busy(self, studio: str, start: datetime, end: datetime) -> None:
        self._busy.append((studio, start, end))

    async def free_slots(
        self, studio: str, start: datetime, end: datetime, length: timedelta, limit: int
    ) -> list[Slot]:
        self._check()
        free: list[Slot] = []
        for slot in self._candidates(start, end, length):
            if len(free) >= limit:
                break
            if not self._taken(studio, slot.start, slot.end):
                free.append(slot)
        return free

    async def book(self, studio: str, slot: Slot, lead_id: str, title: str) -> str:
        self._check()
        if self._taken(studio, slot.start, slot.end):
            raise SlotTaken(f"{slot.start.isoformat()} is no longer free")
        reference = f"booking_{len(self.bookings) + 1}"
        entry = CalendarEntry(
            reference=reference, studio=studio, slot=slot, lead_id=lead_id, title=title
        )
        self.bookings.append(entry)
        return reference

    def _check(self) -> None:
        if self.fail:
            raise CalendarUnavailable("memory calendar switched off")

    def _taken(self, studio: str, start: datetime, end: datetime) -> bool:
        blocked = [(b.slot.start, b.slot.end) for b in self.bookings if b.studio == studio]
        blocked += [(s, e) for owner, s, e in self._busy if owner == studio]
        return any(start < busy_end and busy_start < end for busy_start, busy_end in blocked)

    def _candidates(self, start: datetime, end: datetime, length: timedelta) -> Iterator[Slot]:
        if length <= timedelta(0):
            return
        step = self._step or length
        day = start.astimezone(self._zone).date() - timedelta(days=1)
        last = end.astimezone(self._zone).date()
        while day <= last:
            windows = sorted((o, c) for w, o, c in self._hours if w == day.weekday())
            for opens, closes in windows:
                moment = datetime.combine(day, opens, tzinfo=self._zone).astimezone(UTC)
                closing = datetime.combine(day, closes, tzinfo=self._zone).astimezone(UTC)
                while moment + length <= closing:
                    if moment >= start and moment + length <= end:
                        yield Slot(start=moment, end=moment + length)
                    moment += step
            day += timedelta(days=1)
