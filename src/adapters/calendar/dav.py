"""The ``Calendar`` port on a CalDAV server, with the ``caldav`` library (B-35 to B-37).

Busy times are the calendar's events in the range (recurring ones expanded); free
slots are :func:`core.domain.slots.free_slots` around them. A booking is a VEVENT
with a UID derived from (studio, lead, start), so a retry finds the event it
already wrote, and the lead's brief in DESCRIPTION; its reference is the UID.

Booking is check, write, check again: bookings in this process queue on a lock
(so of ten clients choosing one slot, one wins), and after writing, an overlapping
event that appeared meanwhile (another process, the artist's phone) makes this
booking withdraw itself with :class:`SlotTaken`, so a slot is never held twice.

``caldav`` is synchronous: every call runs in a worker thread, bounded by
``timeout`` seconds; any failure or timeout is :class:`CalendarUnavailable`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import caldav
from caldav.lib.error import NotFoundError

from adapters.calendar.events import booking_event, booking_uid, busy_times
from core.domain.slots import SlotRules, free_slots
from ports.calendar import CalendarError, CalendarUnavailable, Slot, SlotTaken
from ports.clock import Clock

T = TypeVar("T")


class CalDavCalendar:
    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        rules: SlotRules,
        calendar: str | None = None,  # the calendar's name or URL; default: the first
        clock: Clock,
        timeout: float = 10.0,
    ) -> None:
        self.rules = rules
        self._url, self._username, self._password = url, username, password
        self._which = calendar
        self._timeout = timeout
        self._zone = ZoneInfo(rules.zone)
        self._clock = clock
        self._calendar_url: str | None = None  # found once, then reused
        self._lock = asyncio.Lock()

    async def free_slots(
        self, studio: str, start: datetime, end: datetime, length: timedelta, limit: int
    ) -> list[Slot]:
        margin = self.rules.buffer
        busy = await self._run(self._busy, start - margin - length, end + margin)
        return free_slots(self.rules, start, end, length, [s for _, s in busy], limit)

    async def book(
        self, studio: str, slot: Slot, lead_id: str, title: str, description: str = ""
    ) -> str:
        uid = booking_uid(studio, lead_id, slot.start)
        async with self._lock:
            return await self._run(self._book, uid, slot, lead_id, title, description)

    async def cancel(self, studio: str, reference: str) -> None:
        async with self._lock:
            await self._run(self._delete, reference)

    # -- in the worker thread --------------------------------------------------------

    def _book(self, uid: str, slot: Slot, lead_id: str, title: str, description: str) -> str:
        calendar = self._calendar()
        if self._find(calendar, uid) is not None:
            return uid  # a retry: the event is already there
        if self._clashes(calendar, slot, uid):
            raise SlotTaken(f"{slot.start.isoformat()} is no longer free")
        text = booking_event(uid, slot, lead_id, title, description, self._clock.now())
        calendar.add_event(ical=text)
        if self._clashes(calendar, slot, uid):  # someone else wrote meanwhile
            self._remove(calendar, uid)
            raise SlotTaken(f"{slot.start.isoformat()} was taken while booking")
        return uid

    def _clashes(self, calendar: Any, slot: Slot, uid: str) -> bool:
        margin = self.rules.buffer
        busy = self._events(calendar, slot.start - margin, slot.end + margin)
        return any(slot.clashes(span, margin) for other, span in busy if other != uid)

    def _busy(self, start: datetime, end: datetime) -> list[tuple[str, Slot]]:
        return self._events(self._calendar(), start, end)

    def _events(self, calendar: Any, start: datetime, end: datetime) -> list[tuple[str, Slot]]:
        found = calendar.search(start=start, end=end, event=True, expand=True)
        return busy_times((event.icalendar_component for event in found), self._zone)

    def _delete(self, uid: str) -> None:
        self._remove(self._calendar(), uid)

    def _remove(self, calendar: Any, uid: str) -> None:
        event = self._find(calendar, uid)
        if event is not None:
            event.delete()

    @staticmethod
    def _find(calendar: Any, uid: str) -> Any:
        try:
            return calendar.get_event_by_uid(uid)
        except NotFoundError:
            return None

    def _calendar(self) -> Any:
        client = caldav.DAVClient(
            url=self._url,
            username=self._username,
            password=self._password,
            timeout=max(1, round(self._timeout)),
        )
        if self._calendar_url is not None:
            return client.calendar(url=self._calendar_url)
        which = self._which
        if which and which.startswith(("http://", "https://")):
            calendar = client.calendar(url=which)
        else:
            calendars = client.get_principal().get_calendars()
            named = [c for c in calendars if which is None or c.get_display_name() == which]
            if not named:
                raise CalendarUnavailable(f"no calendar named {which!r} at {self._url}")
            calendar = named[0]
        self._calendar_url = str(calendar.url)
        return calendar

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        try:
            async with asyncio.timeout(self._timeout):
                return await asyncio.to_thread(work, *args)
        except CalendarError:
            raise
        except TimeoutError as error:
            raise CalendarUnavailable(f"CalDAV: no answer in {self._timeout:g}s") from error
        except Exception as error:  # the library and its HTTP stack raise many kinds
            raise CalendarUnavailable(f"CalDAV: {type(error).__name__}: {error}") from error
