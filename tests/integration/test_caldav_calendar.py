"""The CalDAV calendar against a real Radicale server (B-35 to B-37).

What only a CalDAV calendar shows: events the artist adds elsewhere (phone,
laptop) block time, bookings appear in the artist's calendar with the lead's
brief, and a server that is down or silent is a typed error, quickly.
"""

from __future__ import annotations

import asyncio
import socket
import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import caldav
import icalendar
import pytest

from adapters.calendar import CalDavCalendar
from adapters.system.clock import SystemClock
from ports.calendar import CalendarUnavailable, Slot, SlotTaken
from tests.contract.backends import CALENDAR_SETUP
from tests.integration import radicale_server

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 2, tzinfo=LONDON)
DAY = (MONDAY, MONDAY + timedelta(days=1))
THREE_HOURS = timedelta(hours=3)


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return datetime.combine(MONDAY.date() + timedelta(days=days), time(hour, minute), LONDON)


@pytest.fixture
def calendar_url() -> str:
    return radicale_server.new_calendar()


@pytest.fixture
def dav(calendar_url: str) -> caldav.Calendar:
    """The same calendar as the artist's own app sees it."""
    client = caldav.DAVClient(
        url=calendar_url, username=radicale_server.USERNAME, password=radicale_server.PASSWORD
    )
    return client.calendar(url=calendar_url)


def adapter(url: str, calendar: str | None = None, timeout: float = 10.0) -> CalDavCalendar:
    """The adapter on ``url`` and the calendar named ``calendar`` (default: that URL's)."""
    return CalDavCalendar(
        clock=SystemClock(),
        url=url,
        username=radicale_server.USERNAME,
        password=radicale_server.PASSWORD,
        calendar=calendar or url,
        rules=CALENDAR_SETUP.rules(),
        timeout=timeout,
    )


def add_event(
    dav: caldav.Calendar, uid: str, start: date | datetime, end: date | datetime, **extra: object
) -> None:
    ical = icalendar.Calendar()
    ical.add("prodid", "-//artist phone//EN")
    ical.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", "Dentist")
    for name, value in extra.items():
        event.add(name, value)
    ical.add_component(event)
    dav.add_event(ical=ical.to_ical().decode())


async def test_B35_events_added_in_the_artists_own_calendar_are_avoided(
    calendar_url: str, dav: caldav.Calendar
) -> None:
    add_event(dav, "dentist", at(11), at(12))  # Monday 11:00-12:00 local
    add_event(dav, "holiday", date(2026, 3, 3), date(2026, 3, 4))  # all of Tuesday
    add_event(dav, "free-time", at(10, days=2), at(18, days=2), transp="TRANSPARENT")
    week = await adapter(calendar_url).free_slots(
        CALENDAR_SETUP.studio, MONDAY, MONDAY + timedelta(days=3), THREE_HOURS, 20
    )
    starts = [slot.start.astimezone(LONDON) for slot in week]
    assert starts == [at(12), at(15), at(10, days=2), at(13, days=2)]  # "free" time stays free


async def test_B35_a_recurring_event_blocks_every_occurrence(
    calendar_url: str, dav: caldav.Calendar
) -> None:
    add_event(dav, "lunch", at(13), at(14), rrule={"freq": "daily", "count": 2})
    slots = await adapter(calendar_url).free_slots(
        "studio-a", MONDAY, MONDAY + timedelta(days=3), THREE_HOURS, 20
    )
    starts = [slot.start.astimezone(LONDON) for slot in slots]
    assert starts == [
        at(10),
        at(14),
        at(10, days=1),
        at(14, days=1),
        at(10, days=2),
        at(13, days=2),
    ]


async def test_B36_a_booking_appears_in_the_artists_calendar_with_the_brief(
    calendar_url: str, dav: caldav.Calendar
) -> None:
    slot = Slot(start=at(10), end=at(13))
    brief = "Koi fish, forearm, 15 x 8 cm, colour"
    reference = await adapter(calendar_url).book("studio-a", slot, "lead-7", "Koi (Sam)", brief)
    events = dav.search(start=at(0), end=at(23), event=True)
    assert len(events) == 1
    event = events[0].icalendar_component
    assert str(event["UID"]) == reference
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (slot.start, slot.end)
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"])) == ("Koi (Sam)", brief)
    with pytest.raises(SlotTaken):  # and the artist's calendar now holds that time
        await adapter(calendar_url).book("studio-a", slot, "lead-8", "Someone else")


async def test_B36_the_calendar_can_be_named_instead_of_given_by_url(calendar_url: str) -> None:
    name = (
        caldav.DAVClient(
            url=calendar_url, username=radicale_server.USERNAME, password=radicale_server.PASSWORD
        )
        .calendar(url=calendar_url)
        .get_display_name()
    )
    server = radicale_server.radicale().url
    slots = await adapter(server, calendar=name).free_slots("studio-a", *DAY, THREE_HOURS, 5)
    assert [s.start for s in slots] == [at(10), at(13)]
    with pytest.raises(CalendarUnavailable, match="no calendar named"):
        await adapter(server, calendar="no such calendar").free_slots(
            "studio-a", *DAY, THREE_HOURS, 5
        )


async def test_B37_a_dead_server_is_unavailable_quickly() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    calendar = adapter(f"http://127.0.0.1:{port}/dav/", timeout=5)
    started = clock.monotonic()
    with pytest.raises(CalendarUnavailable):
        await calendar.free_slots("studio-a", *DAY, THREE_HOURS, 5)
    with pytest.raises(CalendarUnavailable):
        await calendar.book("studio-a", Slot(start=at(10), end=at(13)), "lead-1", "Koi")
    assert clock.monotonic() - started < 5


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/dav/"
    finally:
        listener.close()


async def test_B37_a_silent_server_times_out_as_unavailable(silent_server: str) -> None:
    calendar = adapter(silent_server, timeout=0.5)
    started = clock.monotonic()
    with pytest.raises(CalendarUnavailable, match="no answer"):
        await calendar.free_slots("studio-a", *DAY, THREE_HOURS, 5)
    assert clock.monotonic() - started < 3
    await asyncio.sleep(0)
