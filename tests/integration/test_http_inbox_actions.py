"""The artist's actions from the inbox's lead page (B-24, B-28, B-37, B-43): the admin API's
use cases behind forms with their CSRF token.

The real app on SQLite: a login is added through the app's own container, whose asyncpg
connections belong to the test client's loop. The use cases run on both databases in
test_http_actions.py and test_booking_sql.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dependency_injector import providers

from core.domain.lead import Deposit
from entrypoints.settings import Settings
from ports.payments import PaymentsUnavailable
from tests.integration.deposit_support import Service, lead, outbox, seed
from tests.integration.inbox_support import add_login, csrf_of, sign_in
from tests.integration.test_http_support import settings_for


@pytest.fixture
def backend_settings(tmp_path: Path) -> Settings:
    """SQLite only here (see above); ``service`` of deposit_support runs on it."""
    return settings_for(tmp_path)


async def signed_in(service: Service, lead_id: str) -> str:
    """Signs in; the lead page's CSRF token."""
    await add_login(service)
    await sign_in(service)
    return csrf_of((await service.client.get(f"/inbox/leads/{lead_id}")).text)


async def post(service: Service, lead_id: str, name: str, **form: str) -> object:
    return await service.client.post(f"/inbox/leads/{lead_id}/{name}", data=form,
                                     follow_redirects=False)


async def test_B24_the_lead_page_offers_the_actions_reply_and_book(service: Service) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    await signed_in(service, seeded.id)
    page = (await service.client.get(f"/inbox/leads/{seeded.id}")).text
    for label in ("Approve", "Reject", "Resume", "Release", "Erase", "Send", "Book"):
        assert f">{label}</button>" in page
    assert '<label for="reply">Reply</label>' in page
    assert '<input type="datetime-local" id="start" name="start" required>' in page
    assert "Start (Europe/London)" in page


async def test_B24_approve_from_the_inbox_sends_the_deposit_link_as_the_inbox(
    service: Service,
) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    token = await signed_in(service, seeded.id)
    approved = await post(service, seeded.id, "approve", csrf=token)
    after = await service.client.get(approved.headers["location"])  # type: ignore[attr-defined]

    assert approved.status_code == 303  # type: ignore[attr-defined]
    assert "Approved: the client got the deposit link." in after.text
    shown = await lead(service, seeded.id)
    assert shown["status"] == "AWAITING_DEPOSIT"
    assert shown["transitions"][-1]["actor"] == "artist:inbox"
    assert await outbox(service, seeded.id) == [("client", "deposit_link")]


async def test_B24_reply_from_the_inbox_is_sent_and_shown_in_the_thread(service: Service) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    token = await signed_in(service, seeded.id)
    sent = await post(service, seeded.id, "reply", csrf=token, text="  Hi Zoë, Mara here!  ")
    after = await service.client.get(sent.headers["location"])  # type: ignore[attr-defined]

    assert sent.status_code == 303  # type: ignore[attr-defined]
    assert "Sent: your reply" in after.text
    assert 'class="out artist">Hi Zoë, Mara here!<span class="by">you' in after.text
    [line] = (await lead(service, seeded.id))["thread"]
    assert (line["direction"], line["text"]) == ("out", "Hi Zoë, Mara here!")


@pytest.mark.parametrize("text", ["", "   ", "x" * 5000])
async def test_B45_an_empty_or_too_long_reply_is_400_readable_and_sends_nothing(
    service: Service, text: str
) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    token = await signed_in(service, seeded.id)
    response = await post(service, seeded.id, "reply", csrf=token, text=text)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'role="alert">Write a reply of 1 to 4096 characters.' in response.text  # type: ignore[attr-defined]
    assert await outbox(service, seeded.id) == []


@pytest.mark.parametrize("status, name", [("PENDING_APPROVAL", "resume"),
                                          ("QUALIFYING", "approve"),
                                          ("DEPOSIT_PAID", "reject"),
                                          ("DEPOSIT_PAID", "release")])
async def test_B24_an_action_the_status_does_not_allow_is_409_readable_and_changes_nothing(
    service: Service, status: str, name: str
) -> None:
    seeded = await seed(service, status)
    token = await signed_in(service, seeded.id)
    before = await lead(service, seeded.id)
    response = await post(service, seeded.id, name, csrf=token)
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert 'role="alert">Not done: ' in response.text  # type: ignore[attr-defined]
    assert await lead(service, seeded.id) == before
    assert await outbox(service, seeded.id) == []


@pytest.mark.parametrize("name", ["approve", "reject", "resume", "release", "reply", "book"])
async def test_B43_an_action_without_its_csrf_token_is_403_and_changes_nothing(
    service: Service, name: str
) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    await signed_in(service, seeded.id)
    response = await post(service, seeded.id, name, text="hi", start="2030-01-01T10:00")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert (await lead(service, seeded.id))["status"] == "PENDING_APPROVAL"
    assert await outbox(service, seeded.id) == []


@pytest.mark.parametrize("name", ["approve", "reject", "resume", "release", "reply", "book"])
async def test_B43_an_action_on_another_studios_lead_is_404_and_changes_nothing(
    service: Service, name: str
) -> None:
    seeded = await seed(service, "PENDING_APPROVAL", studio="another-studio")
    await add_login(service)
    await sign_in(service)
    token = csrf_of((await service.client.get("/inbox")).text)
    response = await post(service, seeded.id, name, csrf=token, text="hi",
                          start="2030-01-01T10:00")
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert (await lead(service, seeded.id))["status"] == "PENDING_APPROVAL"
    assert await outbox(service, seeded.id) == []


async def test_B37_book_reads_the_time_in_the_studios_zone(service: Service) -> None:
    now = datetime.now(UTC)
    seeded = await seed(service, "COLLECTING_TIME_WINDOWS",
                        deposit=Deposit(amount=5000, currency="GBP", paid_at=now))
    token = await signed_in(service, seeded.id)
    local = (now + timedelta(days=5)).astimezone(ZoneInfo("Europe/London"))
    local = local.replace(minute=0, second=0, microsecond=0, tzinfo=None)
    booked = await post(service, seeded.id, "book", csrf=token,
                        start=local.strftime("%Y-%m-%dT%H:%M"))
    assert booked.status_code == 303  # type: ignore[attr-defined]
    shown = await lead(service, seeded.id)
    assert shown["status"] == "BOOKED"
    start = datetime.fromisoformat(shown["booking"]["start"])
    assert start == local.replace(tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize("start", ["", "next tuesday", "2020-01-01T10:00"])
async def test_B37_book_without_a_readable_future_time_is_400_readable(
    service: Service, start: str
) -> None:
    seeded = await seed(service, "COLLECTING_TIME_WINDOWS")
    token = await signed_in(service, seeded.id)
    response = await post(service, seeded.id, "book", csrf=token, start=start)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'role="alert">' in response.text  # type: ignore[attr-defined]
    assert (await lead(service, seeded.id))["status"] == "COLLECTING_TIME_WINDOWS"


async def test_B37_book_before_the_deposit_is_409_readable(service: Service) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    token = await signed_in(service, seeded.id)
    start = (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = await post(service, seeded.id, "book", csrf=token, start=start)
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert 'role="alert">Not done: the lead cannot be booked' in response.text  # type: ignore[attr-defined]




class DownPayments:
    """A payment provider that cannot be reached."""

    async def create_checkout(self, request: object) -> object:
        raise PaymentsUnavailable("connection refused")


async def test_B24_approve_while_payments_are_down_is_503_readable_and_changes_nothing(
    service: Service,
) -> None:
    service.container.payments.override(providers.Object(DownPayments()))
    service.container.artist_actions.reset()
    seeded = await seed(service, "PENDING_APPROVAL")
    token = await signed_in(service, seeded.id)
    response = await post(service, seeded.id, "approve", csrf=token)
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert 'role="alert">The payment provider is unavailable' in response.text  # type: ignore[attr-defined]
    assert (await lead(service, seeded.id))["status"] == "PENDING_APPROVAL"
    assert await outbox(service, seeded.id) == []
