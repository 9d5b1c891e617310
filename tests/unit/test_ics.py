"""B-50: the booking's "add to calendar" file, read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from adapters.calendar import Appointment, appointment_ics
from core.domain.slots import Slot

LONDON = ZoneInfo("Europe/London")


def appointment(start: datetime) -> Appointment:
    return Appointment(
        uid="lead-7.booking_1@inkbook",
        slot=Slot(start=start, end=start + timedelta(hours=3)),
        zone="Europe/London",
        summary="Tattoo at Inkwell Studio",
        location="12 Example Street, London E1 6AN",
        description="Koi fish, forearm",
    )


def test_B50_the_file_holds_the_appointment_in_the_studio_zone_with_its_address() -> None:
    start = datetime(2026, 7, 14, 10, tzinfo=UTC)  # 11:00 in London (summer time)
    data = appointment_ics(appointment(start), now=datetime(2026, 7, 1, tzinfo=UTC))
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == start and event["DTEND"].dt == start + timedelta(hours=3)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.astimezone(LONDON).hour == 11
    assert str(event["LOCATION"]) == "12 Example Street, London E1 6AN"
    assert str(event["SUMMARY"]) == "Tattoo at Inkwell Studio"
    assert str(event["UID"]) == "lead-7.booking_1@inkbook"
    assert str(event["DESCRIPTION"]) == "Koi fish, forearm"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}  # both offsets


def test_B50_the_same_booking_gives_the_same_uid_and_times_in_winter_too() -> None:
    start = datetime(2026, 12, 1, 10, tzinfo=UTC)  # 10:00 in London (GMT)
    first = icalendar.Calendar.from_ical(appointment_ics(appointment(start), now=start))
    again = icalendar.Calendar.from_ical(appointment_ics(appointment(start), now=start))
    [one], [two] = first.walk("VEVENT"), again.walk("VEVENT")
    assert one["UID"] == two["UID"] and one["DTSTART"].dt == two["DTSTART"].dt == start
    assert one["DTSTART"].dt.astimezone(LONDON).hour == 10
