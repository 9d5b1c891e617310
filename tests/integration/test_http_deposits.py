"""Stripe webhooks and the deposit on SQLite and PostgreSQL, real app (B-32 to B-34, B-42)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.integration.deposit_support import (
    Service,
    approved,
    event,
    lead,
    outbox,
    post_stripe,
)


async def test_B32_B33_approve_then_a_signed_completed_event_pays_the_deposit(
    service: Service,
) -> None:
    lead_id, session = await approved(service)
    shown = await lead(service, lead_id)
    assert shown["deposit"]["checkout_url"] == f"http://127.0.0.1:8000/pay/{session}"
    assert (shown["deposit"]["amount"], shown["deposit"]["currency"]) == (10000, "GBP")
    assert shown["deposit"]["paid"] is False and shown["deposit"]["expires_at"]
    service.container.payments().complete(session)  # the client pays at the provider
    response = await post_stripe(service, event("evt_1", "paid", session, lead_id))
    # Paid, then straight on to the slot offer from the studio's calendar (B-35).
    assert response.status_code == 200 and response.json()["status"] == "BOOKING_PENDING"
    shown = await lead(service, lead_id)
    assert shown["status"] == "BOOKING_PENDING" and shown["deposit"]["paid"] is True
    assert shown["offered_slots"]
    assert await outbox(service, lead_id) == [
        ("client", "deposit_link"),
        ("client", "deposit_confirmed"),
        ("artist", "artist_deposit_paid"),
        ("client", "slot_offer"),
    ]
    moves = [(t["to"], t["actor"]) for t in shown["transitions"]][-3:]
    assert moves == [("AWAITING_DEPOSIT", "artist"), ("DEPOSIT_PAID", "stripe"),
                     ("BOOKING_PENDING", "system")]


async def test_B33_the_same_event_twenty_times_at_once_has_one_effect(service: Service) -> None:
    lead_id, session = await approved(service)
    service.container.payments().complete(session)
    body = event("evt_storm", "paid", session, lead_id)
    responses = await asyncio.gather(*(post_stripe(service, body) for _ in range(20)))
    assert {r.status_code for r in responses} == {200}
    results = sorted(r.json()["result"] for r in responses)
    assert results == ["duplicate"] * 19 + ["processed"]
    again = await post_stripe(service, event("evt_other_object", "paid", session, lead_id))
    assert again.json()["result"] == "duplicate"  # a second Event for the same session
    assert (await outbox(service, lead_id)).count(("client", "deposit_confirmed")) == 1


async def test_B33_B42_bad_or_stale_signatures_are_401_and_store_nothing(service: Service) -> None:
    lead_id, session = await approved(service)
    service.container.payments().complete(session)
    body = event("evt_forged", "paid", session, lead_id)
    stale = datetime.now(UTC) - timedelta(seconds=301)
    for response in [
        await post_stripe(service, body, signature="t=1,v1=" + "0" * 64),
        await post_stripe(service, body, at=stale),
        await post_stripe(service, body, signature=""),
        await post_stripe(
            service,
            body + b" ",
            signature=service.container.payments().sign(body, datetime.now(UTC)),
        ),
    ]:
        assert response.status_code == 401 and response.json() == {"error": "invalid signature"}
    assert (await lead(service, lead_id))["status"] == "AWAITING_DEPOSIT"
    async with service.db.uow() as uow:
        assert await uow.claim("stripe:event:evt_forged")  # never recorded as processed
        assert [e.kind for e in await uow.events(lead_id=lead_id)] == ["artist_action"]
    assert len(await service.events("signature_failed")) >= 1
    ok = await post_stripe(service, body)  # the genuine delivery still works afterwards
    assert ok.json()["status"] == "BOOKING_PENDING"  # paid, and the slots offered


async def test_B33_a_session_mismatch_is_refused_and_recorded(service: Service) -> None:
    lead_id, _ = await approved(service)
    response = await post_stripe(service, event("evt_mismatch", "paid", "cs_test_other", lead_id))
    assert response.status_code == 200
    assert (response.json()["result"], response.json()["reason"]) == ("refused", "session_mismatch")
    assert (await lead(service, lead_id))["status"] == "AWAITING_DEPOSIT"
    [refused] = await service.events("payment_refused")
    assert refused.detail["session_id"] == "cs_test_other" and refused.lead_id == lead_id


async def test_B34_an_expired_link_gets_one_fresh_link(service: Service) -> None:
    lead_id, session = await approved(service)
    first = await post_stripe(service, event("evt_exp_1", "expired", session, lead_id))
    assert first.json()["result"] == "processed"
    shown = await lead(service, lead_id)
    assert shown["status"] == "AWAITING_DEPOSIT" and shown["deposit"]["attempt"] == 2
    fresh = f"cs_fake_{lead_id}_2"
    assert shown["deposit"]["checkout_url"].endswith(f"/pay/{fresh}")
    second = await post_stripe(service, event("evt_exp_2", "expired", fresh, lead_id))
    assert second.json()["result"] == "refused"  # once only (B-34)
    assert [p for _, p in await outbox(service, lead_id)] == [
        "deposit_link",
        "deposit_link_refreshed",
    ]


async def test_a_signed_body_that_is_no_event_is_400(service: Service) -> None:
    response = await post_stripe(service, b'{"id": "evt_1"}')
    assert response.status_code == 400
