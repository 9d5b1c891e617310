"""The deposit with INKBOOK_PAYMENTS=stripe: the real app, the SDK adapter, a local fake of Stripe.

Approve opens a Checkout Session at "Stripe"; the client pays there; Stripe's signed
``checkout.session.completed`` reaches ``POST /webhooks/stripe``; the session is
read back from "Stripe" before the lead is DEPOSIT_PAID (B-32, B-33, B-34).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.stripe_api import FakeStripeApi, sign
from tests.integration.deposit_support import AUTH, Service, lead, outbox, seed
from tests.integration.test_http_support import running, settings_for

API_KEY = "sk_test_inkbook_integration"
WEBHOOK_SECRET = "whsec_inkbook_integration"


@pytest.fixture
async def stripe_api() -> AsyncIterator[FakeStripeApi]:
    api = FakeStripeApi({API_KEY}, lambda: datetime.now(UTC))
    api.start()
    yield api
    api.stop()


@pytest.fixture
async def stripe_service(tmp_path: Path, stripe_api: FakeStripeApi) -> AsyncIterator[Service]:
    from adapters.sql import SqlStore
    from adapters.system.clock import SystemClock

    settings = settings_for(
        tmp_path,
        payments="stripe",
        stripe_api_key=API_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=stripe_api.url,
    )
    db = SqlStore(settings.database_url, clock=SystemClock())
    try:
        async with running(settings) as api:
            service = Service(api.client, api.container)
            service.db = db
            yield service
    finally:
        await db.dispose()


async def post(service: Service, body: bytes) -> dict[str, object]:
    header = sign(body, WEBHOOK_SECRET, datetime.now(UTC))
    response = await service.client.post(
        "/webhooks/stripe", content=body, headers={"Stripe-Signature": header}
    )
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


async def test_B32_B33_approve_pay_at_stripe_and_the_webhook_pays_the_deposit(
    stripe_service: Service, stripe_api: FakeStripeApi
) -> None:
    seeded = await seed(stripe_service, "PENDING_APPROVAL")
    response = await stripe_service.client.post(f"/api/leads/{seeded.id}/approve", headers=AUTH)
    assert response.status_code == 200 and response.json()["status"] == "AWAITING_DEPOSIT"
    [session_id] = stripe_api.sessions
    form = stripe_api.created[0]
    assert form["client_reference_id"] == seeded.id  # the lead id travels with the session
    shown = await lead(stripe_service, seeded.id)
    assert shown["deposit"]["checkout_url"] == f"https://checkout.stripe.com/c/pay/{session_id}"
    assert (await stripe_service.client.get(f"/pay/{session_id}")).status_code == 404
    early = stripe_api.event_body(session_id, "checkout.session.completed")
    assert (await post(stripe_service, early))["result"] == "refused"  # not paid at Stripe yet
    paid = stripe_api.complete(session_id)
    assert (await post(stripe_service, paid))["status"] == "BOOKING_PENDING"  # paid, offered
    assert (await post(stripe_service, paid))["result"] == "duplicate"
    assert await outbox(stripe_service, seeded.id) == [
        ("client", "deposit_link"),
        ("client", "deposit_confirmed"),
        ("artist", "artist_deposit_paid"),
        ("client", "slot_offer"),
    ]


async def test_B34_an_expired_session_at_stripe_gets_one_fresh_session(
    stripe_service: Service, stripe_api: FakeStripeApi
) -> None:
    seeded = await seed(stripe_service, "PENDING_APPROVAL")
    await stripe_service.client.post(f"/api/leads/{seeded.id}/approve", headers=AUTH)
    [first] = stripe_api.sessions
    assert (await post(stripe_service, stripe_api.expire(first)))["result"] == "processed"
    assert len(stripe_api.sessions) == 2
    fresh = next(s for s in stripe_api.sessions if s != first)
    assert (await lead(stripe_service, seeded.id))["deposit"]["checkout_url"].endswith(fresh)
    assert (await post(stripe_service, stripe_api.expire(fresh)))["result"] == "refused"
    assert len(stripe_api.sessions) == 2  # once only


async def test_B32_stripe_down_at_approval_changes_nothing(
    stripe_service: Service, stripe_api: FakeStripeApi
) -> None:
    seeded = await seed(stripe_service, "PENDING_APPROVAL")
    stripe_api.outage = "500"
    response = await stripe_service.client.post(f"/api/leads/{seeded.id}/approve", headers=AUTH)
    assert response.status_code == 503 and response.headers["retry-after"]
    assert (await lead(stripe_service, seeded.id))["status"] == "PENDING_APPROVAL"
    assert await outbox(stripe_service, seeded.id) == []
