"""The booking flow through the real app: a list reply on the Meta webhook books the slot;
``POST /api/leads/{id}/book`` (B-31, B-36, B-37, issue 9 item 7)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

from adapters.babel import BabelFormats
from core.domain.lead import Deposit
from core.domain.status import Status
from tests.fixtures.samples import body
from tests.integration.test_http_support import ADMIN_KEY, CLIENT, Api, running, settings_for

HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Api]:
    """The real app on SQLite. The same flows run on both databases through the use cases in
    test_booking_sql.py: the test client's loop cannot share asyncpg connections with the test."""
    async with running(settings_for(tmp_path)) as api:
        yield api


async def paid_lead(api: Api, contact: str = CLIENT, status: str = Status.DEPOSIT_PAID) -> str:
    now = datetime.now(UTC)
    async with api.container.store().uow() as uow:
        lead = await uow.leads.lock("demo", contact, now)
        lead = msgspec.structs.replace(
            lead, status=status, deposit=Deposit(amount=5000, currency="GBP", paid_at=now),
            times=msgspec.structs.replace(lead.times, last_client_message=now))
        await uow.leads.save(lead)
        await uow.commit()
    return lead.id


async def book(api: Api, lead_id: str, start: str) -> object:
    return await api.client.post(f"/api/leads/{lead_id}/book", json={"start": start},
                                 headers=HEADERS)


async def test_B31_B36_a_list_reply_through_the_meta_webhook_books_the_slot(app: Api) -> None:
    lead_id = await paid_lead(app)
    await app.container.offer_slots()(lead_id)
    shown = (await app.admin(f"/api/leads/{lead_id}")).json()
    assert shown["status"] == "BOOKING_PENDING"
    offered = shown["offered_slots"]
    assert len(offered) == 8 and all(datetime.fromisoformat(s).utcoffset() is not None
                                     for s in offered)
    # The real list-reply shape (tests/fixtures/payloads/meta_list_reply.json), our row id.
    envelope = json.loads(body("meta_list_reply.json"))
    item = envelope["entry"][0]["changes"][0]["value"]["messages"][0]
    item["timestamp"] = str(int(datetime.now(UTC).timestamp()) + 5)
    title = BabelFormats().moment(datetime.fromisoformat(offered[2]), "Europe/London", "en_GB")
    item["interactive"]["list_reply"] = {"id": "slot_3", "title": title}
    response = await app.post_meta(json.dumps(envelope).encode())
    assert response.status_code == 200
    lead = (await app.admin(f"/api/leads/{lead_id}")).json()
    assert lead["status"] == "BOOKED" and lead["offered_slots"] == []
    assert datetime.fromisoformat(lead["booking"]["start"]) == datetime.fromisoformat(offered[2])
    assert lead["booking"]["reference"]
    assert any("/bookings/" in line["text"] for line in lead["thread"])


async def test_B37_the_artist_books_by_hand_once_and_a_second_time_is_taken(app: Api) -> None:
    first = await paid_lead(app, "447911000001", Status.COLLECTING_TIME_WINDOWS)
    other = await paid_lead(app, "447911000002", Status.COLLECTING_TIME_WINDOWS)
    start = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
    response = await book(app, first, start.isoformat())
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "BOOKED"
    assert datetime.fromisoformat(answer["booking"]["start"]) == start
    taken = await book(app, other, (start + timedelta(hours=1)).isoformat())
    assert taken.status_code == 409
    assert taken.json() == {"error": "that time is taken", "status": "COLLECTING_TIME_WINDOWS"}
    again = await book(app, first, start.isoformat())
    assert again.status_code == 409 and again.json()["status"] == "BOOKED"


@pytest.mark.parametrize(
    "start", ["2026-12-08T14:00:00", "next tuesday", "2020-01-01T10:00:00+00:00"]
)
async def test_B37_a_start_without_offset_unreadable_or_past_is_400(app: Api, start: str) -> None:
    lead_id = await paid_lead(app, status=Status.BOOKING_PENDING)
    response = await book(app, lead_id, start)
    assert response.status_code == 400 and "start" in response.text
    assert (await app.admin(f"/api/leads/{lead_id}")).json()["status"] == "BOOKING_PENDING"


async def test_B37_book_before_the_deposit_is_409_with_the_status_and_needs_the_key(
    app: Api,
) -> None:
    lead_id = await paid_lead(app, status=Status.AWAITING_DEPOSIT)
    start = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    response = await book(app, lead_id, start)
    assert response.status_code == 409 and response.json()["status"] == "AWAITING_DEPOSIT"
    anonymous = await app.client.post(f"/api/leads/{lead_id}/book", json={"start": start})
    assert anonymous.status_code == 401
    missing = await book(app, "no-such-lead", start)
    assert missing.status_code == 404
