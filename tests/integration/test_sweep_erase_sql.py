"""The sweeper and erasure on SQLite and PostgreSQL (issue 10, B-38, B-40, B-41, B-48, B-49)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from adapters.sql import SqlStore, aupgrade
from adapters.system.clock import SystemClock
from core.usecases.sweep import Sweep
from tests.integration import databases
from tests.integration.test_http_support import ADMIN_KEY, CLIENT, Api, message, now_ts, webhook
from tests.unit.harness import Harness
from tests.unit.sweeping import eraser
from tests.unit.test_usecase_erase import (  # noqa: F401  (collected here against SQL)
    test_B40_a_later_message_from_an_erased_number_starts_a_fresh_lead,
    test_B40_erasing_twice_changes_nothing_the_second_time,
    test_B40_erasure_leaves_nothing_findable_and_confirms_to_the_client,
    test_B40_pending_messages_to_the_erased_number_are_dropped,
    test_B40_stop_then_erase_keeps_the_number_silenced,
    test_B49_export_holds_every_piece_of_personal_data_of_the_lead,
)
from tests.unit.test_usecase_sweep import (  # noqa: F401
    test_B38_a_silent_lead_is_reminded_once_then_abandoned_and_starts_over,
    test_B38_an_unpaid_deposit_goes_stale_after_the_deadline_and_the_artist_is_told,
    test_B38_three_sweepers_at_once_send_one_reminder_per_due_lead,
    test_B41_the_sweeper_erases_leads_closed_for_longer_than_retention,
    test_B48_a_booked_client_gets_the_appointment_reminder_and_the_aftercare,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=sql_store)


async def test_B38_three_sweepers_on_their_own_connections_remind_each_due_lead_once(
    postgres_store: SqlStore, studio: Any, gazetteer: Any
) -> None:
    """Three sweeper "processes" (each its own engine and pool) race on PostgreSQL."""
    harness = Harness(studio, gazetteer, store=postgres_store)
    contacts = [f"44791122{n:04d}" for n in range(12)]
    for contact in contacts:
        await harness.say("hi", contact=contact)
    harness.later(hours=4, minutes=5)
    url = postgres_store.engine.url
    stores = [SqlStore(url, clock=harness.clock) for _ in range(3)]
    try:
        sweeps = [Sweep(s.uow, harness.clock, harness.deployment) for s in stores]
        reports = await asyncio.gather(*(sweep.run_once() for sweep in sweeps))
    finally:
        for s in stores:
            await s.dispose()
    assert sum(r.done.get("reminder", 0) for r in reports) == len(contacts)
    async with postgres_store.uow() as uow:
        for contact in contacts:
            lead = await uow.leads.lock(harness.studio.id, contact, harness.clock.now())
            purposes = [i.message.purpose for i in await uow.outbox.for_lead(lead.id)]
            assert purposes.count("reminder") == 1


async def test_B40_erase_and_export_over_http_behind_the_admin_key(api: Api) -> None:
    for i, text in enumerate(["hi", "A fox for Zoë Quixote"]):
        item = message(f"wamid.h.{i}", text, ts=now_ts(10 * i))
        assert (await api.post_meta(webhook([item]))).status_code == 200
    [lead] = await api.leads()
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    assert (await api.client.post(f"/api/leads/{lead.id}/erase")).status_code == 401
    exported = await api.admin(f"/api/leads/{lead.id}/export")
    assert exported.status_code == 200 and exported.json()["lead"]["contact"] == CLIENT
    assert "Quixote" in exported.text
    erased = await api.client.post(f"/api/leads/{lead.id}/erase", headers=auth)
    assert erased.status_code == 200
    body = erased.json()
    assert (body["id"], body["already_erased"]) == (lead.id, False) and body["erased_at"]
    after = await api.admin(f"/api/leads/{lead.id}/export")
    assert "Quixote" not in after.text and after.json()["answers"] == []
    again = await api.client.post(f"/api/leads/{lead.id}/erase", headers=auth)
    assert again.status_code == 200 and again.json()["already_erased"] is True
    missing = await api.client.post("/api/leads/nope/erase", headers=auth)
    assert missing.status_code == 404
    assert (await api.admin("/api/leads/nope/export")).status_code == 404


async def test_B40_the_sqlite_backend_keeps_the_optout_hash_across_restarts(
    tmp_path: Any, studio: Any, gazetteer: Any
) -> None:
    url = databases.sqlite_url(tmp_path / "inkbook.db")
    await aupgrade(url)
    first = Harness(studio, gazetteer, store=SqlStore(url, clock=SystemClock()))
    await first.say("hi")
    await first.say("STOP")
    lead = await first.lead()
    await eraser(first)(lead.id)
    await first.store.dispose()
    second = Harness(studio, gazetteer, store=SqlStore(url, clock=SystemClock()))
    await second.say("hello", message_id="wamid.after-restart")
    assert (await second.lead()).status == "OPTOUT"
    await second.store.dispose()


async def test_B35_a_paid_lead_is_offered_again_only_after_offer_retry_after(
    postgres_store: SqlStore, studio: Any, gazetteer: Any
) -> None:
    """The retry waits ``limits.offer_retry_after`` from the lead's last save, so it never
    races the offer the payment itself makes."""
    from datetime import timedelta

    from core.domain.status import Status
    from tests.unit.booking_harness import BookingHarness

    booking = BookingHarness(studio, gazetteer, store=postgres_store)
    postgres_store.clock = booking.clock  # the store stamps updated_at with the test's clock
    await booking.paid()
    sweep = Sweep(postgres_store.uow, booking.clock, booking.deployment, offer=booking.offer)
    booking.clock.advance(seconds=60)
    assert (await sweep.run_once()).total == 0
    assert (await booking.lead()).status == Status.DEPOSIT_PAID
    wait = studio.limits.offer_retry_after - timedelta(seconds=59)
    booking.clock.advance(seconds=wait.total_seconds())
    assert (await sweep.run_once()).done == {Status.BOOKING_PENDING: 1}
