"""The booked appointment as an iCalendar file for the client's calendar (B-50).

One VEVENT with DTSTART/DTEND in the studio's time zone, that zone's VTIMEZONE
(so any calendar app shows the right local time, daylight saving included), the
studio's address as LOCATION, and a stable UID (re-importing updates the event).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import msgspec

from core.domain.slots import Slot

PRODID = "-//Inkbook//booking//EN"
_AROUND = timedelta(days=400)  # the VTIMEZONE covers the appointment's year either side


class Appointment(msgspec.Struct, frozen=True, kw_only=True):
    uid: str  # stable per booking, e.g. the lead id and the calendar reference
    slot: Slot
    zone: str  # the studio's IANA time zone
    summary: str  # from the studio's copy
    location: str | None = None  # the studio's address
    description: str = ""


def appointment_ics(appointment: Appointment, now: datetime) -> bytes:
    """The ``.ics`` bytes (``text/calendar``) of one appointment."""
    zone = ZoneInfo(appointment.zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", appointment.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.slot.start.astimezone(zone))
    event.add("dtend", appointment.slot.end.astimezone(zone))
    event.add("summary", appointment.summary)
    if appointment.location:
        event.add("location", appointment.location)
    if appointment.description:
        event.add("description", appointment.description)
    calendar.add_component(event)
    start = appointment.slot.start.date()
    calendar.add_missing_timezones(first_date=start - _AROUND, last_date=start + _AROUND)
    return calendar.to_ical()
