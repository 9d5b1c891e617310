"""Artist actions over the admin API, one-tap links and the test checkout, on SQLite and PostgreSQL.

(B-24, B-28, B-43, B-51; CONTRACT.md "HTTP".)
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest

from core.domain.links import sign_action
from ports.outbox import HELD
from tests.integration.deposit_support import (
    AUTH,
    Service,
    act,
    lead,
    outbox,
    seed,
)
from tests.integration.test_http_support import Api

SECRET = b"test-secret-key"  # INKBOOK_SECRET_KEY of the test settings
WRONG = [
    ("QUALIFYING", "approve"),
    ("QUALIFYING", "reject"),
    ("PENDING_APPROVAL", "resume"),
    ("REJECTED", "approve"),
    ("DEPOSIT_PAID", "approve"),
    ("DEPOSIT_PAID", "reject"),
    ("DEPOSIT_PAID", "resume"),
    ("DEPOSIT_PAID", "release"),  # nothing held
    ("OPTOUT", "reply"),
    ("OPTOUT", "approve"),
]


def token(lead_id: str, action: str, ttl: timedelta = timedelta(days=1)) -> str:
    return sign_action(SECRET, lead_id, action, datetime.now(UTC) + ttl)


async def snapshot(api: Service, lead_id: str) -> tuple[Any, ...]:
    shown = await lead(api, lead_id)
    return shown["status"], shown["thread"], shown["transitions"], await outbox(api, lead_id)


@pytest.mark.parametrize("status, action", WRONG)
async def test_B24_an_action_from_a_wrong_status_is_409_and_changes_nothing(
    service: Service, status: str, action: str
) -> None:
    seeded = await seed(service, status)
    before = await snapshot(service, seeded.id)
    body = {"text": "hello"} if action == "reply" else {}
    response = await act(service, seeded.id, action, **body)
    assert response.status_code == 409
    assert response.json()["status"] == status and response.json()["error"]
    assert await snapshot(service, seeded.id) == before


async def test_B24_approve_twice_is_idempotent_and_sends_one_link(service: Service) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY", handover_reason="coverup")
    first, again = (
        await act(service, seeded.id, "approve"),
        await act(service, seeded.id, "approve"),
    )
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["changed"], again.json()["changed"]) == (True, False)
    assert await outbox(service, seeded.id) == [("client", "deposit_link")]


async def test_B24_reject_and_resume_tell_the_client(service: Service) -> None:
    rejected = await seed(service, "PENDING_APPROVAL")
    assert (await act(service, rejected.id, "reject")).json()["status"] == "REJECTED"
    assert await outbox(service, rejected.id) == [("client", "rejected")]
    paused = await seed(
        service,
        "NEEDS_ARTIST_REPLY",
        contact="447911000222",
        step=3,
        handover_reason="client_asked",
    )
    response = await act(service, paused.id, "resume")
    assert response.json() == {"id": paused.id, "status": "QUALIFYING", "changed": True}
    assert await outbox(service, paused.id) == [("client", "resume")]
    assert (await lead(service, paused.id))["current_question"] == "style"


async def test_B24_B28_reply_goes_in_the_thread_and_a_closed_window_is_409(
    service: Service,
) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    response = await act(service, seeded.id, "reply", text="Hi Zoë, Mara here!")
    assert response.status_code == 200
    [line] = (await lead(service, seeded.id))["thread"]
    assert (line["direction"], line["text"]) == ("out", "Hi Zoë, Mara here!")
    old = await seed(service, "NEEDS_ARTIST_REPLY", contact="447911000333")
    async with service.db.uow() as uow:  # the client last wrote two days ago
        stale = await uow.leads.lock_by_id(old.id)
        times = msgspec.structs.replace(
            stale.times, last_client_message=datetime.now(UTC) - timedelta(days=2)
        )
        await uow.leads.save(msgspec.structs.replace(stale, times=times))
        await uow.commit()
    closed = await act(service, old.id, "reply", text="Still there?")
    assert closed.status_code == 409 and "window is closed" in closed.json()["error"]
    assert await outbox(service, old.id) == []


async def test_B24_a_reply_retried_with_its_idempotency_key_is_sent_once(
    service: Service,
) -> None:
    """A caller whose answer got lost retries with the same key: one message to the client."""
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    url = f"/api/leads/{seeded.id}/reply"
    keyed = {**AUTH, "Idempotency-Key": "reply-7f3a"}
    first = await service.client.post(url, headers=keyed, json={"text": "See you Friday"})
    again = await service.client.post(url, headers=keyed, json={"text": "See you Friday"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["changed"], again.json()["changed"]) == (True, False)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await outbox(service, seeded.id) == [("client", "artist_reply")]
    other = {**AUTH, "Idempotency-Key": "reply-7f3b"}  # a new key is a new reply
    assert (await service.client.post(url, headers=other, json={"text": "And bring water"})
            ).json()["changed"] is True
    assert len(await outbox(service, seeded.id)) == 2


async def test_B24_a_refused_action_does_not_use_up_its_idempotency_key(
    service: Service,
) -> None:
    seeded = await seed(service, "QUALIFYING")
    keyed = {**AUTH, "Idempotency-Key": "approve-1"}
    url = f"/api/leads/{seeded.id}/approve"
    assert (await service.client.post(url, headers=keyed)).status_code == 409
    async with service.db.uow() as uow:  # the artist's handover makes approve possible
        lead_now = await uow.leads.lock_by_id(seeded.id)
        await uow.leads.save(msgspec.structs.replace(lead_now, status="PENDING_APPROVAL"))
        await uow.commit()
    done = await service.client.post(url, headers=keyed)
    assert done.status_code == 200 and done.json()["changed"] is True


@pytest.mark.parametrize("key", ["", "a b", "x" * 256, "é".encode()])
async def test_B45_a_malformed_idempotency_key_is_400_and_nothing_is_sent(
    service: Service, key: str | bytes
) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    response = await service.client.post(
        f"/api/leads/{seeded.id}/reply",
        headers={**AUTH, "Idempotency-Key": key},
        json={"text": "hello"},
    )
    assert response.status_code == 400 and "error" in response.json()
    assert await outbox(service, seeded.id) == []


@pytest.mark.parametrize(
    "body", [{"text": ""}, {"text": "   "}, {"txt": "hi"}, {"text": 5}, {"text": "x" * 5000}]
)
async def test_B45_a_bad_reply_body_is_400(service: Service, body: dict[str, Any]) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    response = await service.client.post(f"/api/leads/{seeded.id}/reply", headers=AUTH, json=body)
    assert response.status_code == 400 and "error" in response.json()


async def test_B28_release_hands_held_messages_back_to_the_relay(service: Service) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY")
    assert (await act(service, seeded.id, "reply", text="A note")).status_code == 200
    async with service.db.uow() as uow:
        [item] = await uow.outbox.for_lead(seeded.id)
        await uow.outbox.mark_held(item.id, "window_closed_no_template", datetime.now(UTC))
        await uow.commit()
    response = await act(service, seeded.id, "release")
    assert response.status_code == 200 and response.json()["changed"] is True
    async with service.db.uow() as uow:
        [item] = await uow.outbox.for_lead(seeded.id)
    assert item.state != HELD
    assert (await act(service, seeded.id, "release")).status_code == 409  # nothing held now


async def test_B43_actions_need_the_admin_key_and_a_known_lead(service: Service) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    assert (await service.client.post(f"/api/leads/{seeded.id}/approve")).status_code == 401
    assert (await act(service, "no-such-lead", "approve")).status_code == 404
    assert (await lead(service, seeded.id))["status"] == "PENDING_APPROVAL"


async def test_B51_opening_a_one_tap_link_changes_nothing_confirming_acts_once(
    service: Service,
) -> None:
    seeded = await seed(service, "PENDING_APPROVAL", name="<b>Zoë</b>")
    link = f"/a/{token(seeded.id, 'approve')}"
    for _ in range(3):  # previews and scanners open links
        page = await service.client.get(link)
        assert page.status_code == 200 and '<form method="post"' in page.text
        assert "&lt;b&gt;Zoë&lt;/b&gt;" in page.text and "<b>Zoë</b>" not in page.text  # escaped
    assert (await lead(service, seeded.id))["status"] == "PENDING_APPROVAL"
    assert await outbox(service, seeded.id) == []
    done = await service.client.post(link)
    assert done.status_code == 200 and "Approved" in done.text
    again = await service.client.post(link)
    assert again.status_code == 200 and "Already done" in again.text
    shown = await lead(service, seeded.id)
    assert (
        shown["status"] == "AWAITING_DEPOSIT" and shown["transitions"][-1]["actor"] == "artist:link"
    )
    assert await outbox(service, seeded.id) == [("client", "deposit_link")]
    refused = await service.client.post(f"/a/{token(seeded.id, 'reject')}")
    assert refused.status_code == 409 and "AWAITING_DEPOSIT" in refused.text


async def test_B51_tampered_and_expired_links_get_an_error_page(service: Service) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    good = token(seeded.id, "approve")
    tampered = token(seeded.id, "reject")[:-3] + good[-3:]
    expired = token(seeded.id, "approve", ttl=-timedelta(minutes=1))
    for method in ("get", "post"):
        assert (await getattr(service.client, method)(f"/a/{tampered}")).status_code == 400
        assert (await getattr(service.client, method)("/a/nonsense")).status_code == 400
        assert (await getattr(service.client, method)(f"/a/{expired}")).status_code == 410
    assert (await lead(service, seeded.id))["status"] == "PENDING_APPROVAL"


async def test_B23_the_open_link_shows_the_lead_read_only(service: Service) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY", handover_reason="coverup")
    await act(service, seeded.id, "reply", text="Could you send a photo of the old piece?")
    page = await service.client.get(f"/a/{token(seeded.id, 'open')}")
    assert page.status_code == 200
    assert "Could you send a photo of the old piece?" in page.text and "coverup" in page.text
    assert "<form" not in page.text


async def test_B24_B33_the_test_checkout_page_pays_the_deposit(service: Service) -> None:
    seeded = await seed(service, "PENDING_APPROVAL")
    await act(service, seeded.id, "approve")
    url = (await lead(service, seeded.id))["deposit"]["checkout_url"]
    path = re.sub(r"^https?://[^/]+", "", url)
    page = await service.client.get(path)
    assert page.status_code == 200 and "Pay deposit" in page.text and "£100" in page.text
    assert (await lead(service, seeded.id))["status"] == "AWAITING_DEPOSIT"  # GET changes nothing
    paid = await service.client.post(path)
    assert paid.status_code == 200 and "Payment received." in paid.text
    shown = await lead(service, seeded.id)
    assert shown["deposit"]["paid"] is True and shown["status"] == "BOOKING_PENDING"  # B-35
    again = await service.client.post(path)
    assert "Pay deposit" not in again.text and "paid already" in again.text
    assert (await outbox(service, seeded.id)).count(("client", "deposit_confirmed")) == 1
    assert (await service.client.get("/pay/cs_fake_nobody_1")).status_code == 404
    back = await service.client.get("/paid/demo")
    assert back.status_code == 200 and "WhatsApp" in back.text


async def test_the_checkout_page_exists_only_with_fake_payments(api: Api) -> None:
    api.client.app.state.settings = dataclasses.replace(api.container.settings(), payments="stripe")
    assert (await api.client.get("/pay/cs_fake_abc_1")).status_code == 404


async def test_B40_B51_the_erase_link_of_an_erasure_request_shows_first_then_erases_once(
    service: Service,
) -> None:
    seeded = await seed(service, "NEEDS_ARTIST_REPLY", handover_reason="erasure_request",
                        name="Zoë Example")
    link = f"/a/{token(seeded.id, 'erase')}"
    page = await service.client.get(link)
    assert page.status_code == 200 and '<form method="post"' in page.text
    assert (await lead(service, seeded.id))["name"] == "Zoë Example"  # opening changes nothing
    done = await service.client.post(link)
    assert done.status_code == 200 and "Erased" in done.text
    shown = await lead(service, seeded.id)
    assert shown["name"] is None and "Zoë" not in str(shown)
    again = await service.client.post(link)
    assert again.status_code == 200 and "Already done" in again.text
