"""GET /bookings/{token}.ics: the booked appointment as an iCalendar file (B-50)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import msgspec

from core.domain.booking_file import booking_file_link
from core.domain.lead import Booking
from core.domain.links import sign_action, verify_action
from core.domain.status import Status
from tests.integration.test_http_support import Api, running, settings_for

START = datetime(2026, 7, 14, 10, tzinfo=UTC)  # 11:00 in London (summer time)
SECRET = b"test-secret-key"  # INKBOOK_SECRET_KEY of settings_for


async def booked_lead(api: Api, contact: str, booking: Booking | None) -> str:
    async with api.container.store().uow() as uow:
        lead = await uow.leads.lock("demo", contact, START - timedelta(days=9))
        status = Status.BOOKED if booking else Status.BOOKING_PENDING
        await uow.leads.save(msgspec.structs.replace(lead, status=status, booking=booking))
        await uow.commit()
    return lead.id


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


async def test_B50_the_booking_link_serves_the_appointment_in_the_studio_zone(
    tmp_path: Path,
) -> None:
    booking = Booking(start=START, end=START + timedelta(hours=3), reference="booking_1")
    async with running(settings_for(tmp_path)) as api:
        lead_id = await booked_lead(api, "447911000001", booking)
        async with api.container.store().uow() as uow:
            lead = await uow.leads.get(lead_id)
        assert lead is not None
        url = booking_file_link(
            "http://127.0.0.1:8000", SECRET, lead, api.container.studios().get("demo")
        )
        assert url is not None and url.endswith(".ics")
        response = await api.client.get(path_of(url))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event["DTSTART"].dt == START and event["DTEND"].dt == START + timedelta(hours=3)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["SUMMARY"]) == "Tattoo with Mara at Inkwell Studio"  # the studio's copy
    assert str(event["LOCATION"]) == "12 Example Street, London E1 6AN"  # the profile's address


async def test_B50_unknown_tampered_or_foreign_tokens_are_404(tmp_path: Path) -> None:
    booking = Booking(start=START, end=START + timedelta(hours=3), reference="booking_1")
    later = START + timedelta(days=30)
    async with running(settings_for(tmp_path)) as api:
        booked = await booked_lead(api, "447911000002", booking)
        unbooked = await booked_lead(api, "447911000003", None)
        good = sign_action(SECRET, booked, "ics", later)
        paths = [
            "/bookings/nonsense.ics",
            f"/bookings/{good[:-2]}xx.ics",  # tampered signature
            f"/bookings/{good}",  # not the .ics name
            f"/bookings/{sign_action(SECRET, booked, 'approve', later)}.ics",  # a one-tap link
            f"/bookings/{sign_action(b'another secret', booked, 'ics', later)}.ics",
            f"/bookings/{sign_action(SECRET, unbooked, 'ics', later)}.ics",  # no booking
            f"/bookings/{sign_action(SECRET, 'lead-gone', 'ics', later)}.ics",
            f"/bookings/{sign_action(SECRET, booked, 'ics', datetime(2020, 1, 1, tzinfo=UTC))}.ics",
        ]
        answers = [await api.client.get(path) for path in paths]
    assert [a.status_code for a in answers] == [404] * len(paths)
    assert all(a.json() == {"error": "no such booking"} for a in answers)


def test_B50_a_calendar_file_token_is_never_a_one_tap_action() -> None:
    token = sign_action(SECRET, "lead-1", "ics", START + timedelta(days=1))
    assert verify_action(SECRET, token, START) is None
    assert verify_action(SECRET, token, START, allowed=("ics",)) == ("lead-1", "ics")
