"""CalDAV events <-> slots: busy times read from VEVENTs, bookings written as VEVENTs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from core.domain.slots import Slot

PRODID = "-//Inkbook//calendar//EN"
LEAD_PROPERTY = "X-INKBOOK-LEAD"


def booking_uid(studio: str, lead_id: str, start: datetime) -> str:
    """The same UID for the same (studio, lead, start): a retried booking finds its event."""
    key = f"{studio}|{lead_id}|{start.astimezone(UTC).isoformat()}"
    return f"inkbook-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def busy_times(components: Iterable[Any], zone: ZoneInfo) -> list[tuple[str, Slot]]:
    """(UID, busy span) of every opaque event; all-day and floating times in ``zone``."""
    out: list[tuple[str, Slot]] = []
    for event in components:
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start_prop = event.get("DTSTART")
        if start_prop is None:
            continue
        start = _aware(start_prop.dt, zone)
        end_prop, duration = event.get("DTEND"), event.get("DURATION")
        if end_prop is not None:
            end = _aware(end_prop.dt, zone)
        elif duration is not None:
            end = start + duration.dt
        elif isinstance(start_prop.dt, datetime):
            end = start  # RFC 5545: an instant
        else:
            end = start + timedelta(days=1)  # an all-day event without an end: that day
        out.append((str(event.get("UID", "")), Slot(start=start, end=max(start, end))))
    return out


def booking_event(
    uid: str, slot: Slot, lead_id: str, title: str, description: str, now: datetime
) -> str:
    """A VCALENDAR with one VEVENT for the booking, as text for ``add_event``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", slot.start.astimezone(UTC))
    event.add("dtend", slot.end.astimezone(UTC))
    event.add("summary", title)
    if description:
        event.add("description", description)
    event.add(LEAD_PROPERTY, lead_id)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone).astimezone(UTC)
    return value.astimezone(UTC)
