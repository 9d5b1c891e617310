"""Helpers of the artist-action and Stripe tests (no tests here): a service on each backend."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from adapters.memory import checkout_event_body
from adapters.sql import SqlStore
from adapters.system.clock import SystemClock
from core.domain.events import Event
from core.domain.lead import Lead
from entrypoints.settings import Settings
from tests.integration.test_http_support import ADMIN_KEY, CLIENT, Api, running, settings_for

AUTH = {"Authorization": f"Bearer {ADMIN_KEY}"}
STUDIO = "demo"


@pytest.fixture(params=["sqlite", "postgres"])
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings of a fresh SQLite file, then of the emptied PostgreSQL test database."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        return settings_for(tmp_path, migrate=False, database_url=url)
    return settings_for(tmp_path)


class Service(Api):
    """The app, and a store of the test's own on the same database: asyncpg connections
    belong to one event loop, and the test client runs the app on another."""

    db: Any

    async def events(self, kind: str | None = None) -> list[Event]:
        async with self.db.uow() as uow:
            events: list[Event] = await uow.events(kind=kind)
            return events


@pytest.fixture
async def service(backend_settings: Settings) -> AsyncIterator[Service]:
    """The real app on each backend in turn."""
    db = SqlStore(backend_settings.database_url, clock=SystemClock())  # the app's clock too
    try:
        async with running(backend_settings) as api:
            service = Service(api.client, api.container)
            service.db = db
            yield service
    finally:
        await db.dispose()


async def seed(api: Service, status: str, contact: str = CLIENT, **fields: Any) -> Lead:
    """A lead as a conversation would have left it, the client's last message a minute ago."""
    now = datetime.now(UTC)
    async with api.db.uow() as uow:
        lead = await uow.leads.lock(STUDIO, contact, now)
        times = msgspec.structs.replace(lead.times, last_client_message=now - timedelta(minutes=1))
        values: dict[str, Any] = {"status": status, "step": 11, "name": "Zoë", "times": times}
        lead = msgspec.structs.replace(lead, **{**values, **fields})
        await uow.leads.save(lead)
        await uow.commit()
    return lead


async def lead(api: Service, lead_id: str) -> dict[str, Any]:
    response = await api.client.get(f"/api/leads/{lead_id}", headers=AUTH)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def act(api: Service, lead_id: str, action: str, **body: Any) -> httpx.Response:
    return await api.client.post(f"/api/leads/{lead_id}/{action}", headers=AUTH, json=body or None)


async def outbox(api: Service, lead_id: str) -> list[tuple[str, str]]:
    """(audience, purpose) of every message queued for the lead, in order."""
    async with api.db.uow() as uow:
        return [(i.message.audience, i.message.purpose) for i in await uow.outbox.for_lead(lead_id)]


def event(event_id: str, kind: str, session: str, lead_id: str, amount: int = 10000) -> bytes:
    types = {"paid": "checkout.session.completed", "expired": "checkout.session.expired"}
    body = json.loads(
        checkout_event_body(
            event_id,
            types[kind],
            session,
            lead_id,
            amount,
            "gbp",
            "paid" if kind == "paid" else "unpaid",
        )
    )
    return json.dumps(body).encode()


async def post_stripe(
    api: Service, body: bytes, at: datetime | None = None, signature: str | None = None
) -> httpx.Response:
    header = (
        signature
        if signature is not None
        else api.container.payments().sign(body, at or datetime.now(UTC))
    )
    return await api.client.post(
        "/webhooks/stripe",
        content=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


async def approved(api: Service) -> tuple[str, str]:
    """A lead approved over the admin API: (lead id, checkout session id)."""
    seeded = await seed(api, "PENDING_APPROVAL")
    response = await act(api, seeded.id, "approve")
    assert response.status_code == 200, response.text
    assert response.json() == {"id": seeded.id, "status": "AWAITING_DEPOSIT", "changed": True}
    return seeded.id, f"cs_fake_{seeded.id}_1"
