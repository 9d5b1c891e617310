"""What the memory adapters offer beyond their ports: relay wake-up, switches, records."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from adapters.memory import (
    FakePayments,
    MemoryCalendar,
    MemoryStore,
    checkout_event_body,
    lead_of,
)
from core.domain.outbound import CLIENT, Outgoing, TextIntent
from ports.calendar import CalendarUnavailable, Slot, SlotTaken
from ports.payments import DepositRequest, PaymentsUnavailable

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
MESSAGE = Outgoing(
    lead_id="lead-1",
    studio="studio-a",
    audience=CLIENT,
    to="447911000001",
    intent=TextIntent(body="hi"),
    purpose="welcome",
)


async def test_a_relay_wakes_when_a_commit_adds_outbox_rows_B25() -> None:
    store = MemoryStore()
    waiting = asyncio.create_task(store.wait_for_work(timeout=5))
    async with store.uow() as uow:
        await uow.outbox.append([MESSAGE], T0)
        await asyncio.sleep(0.01)
        assert not waiting.done()  # nothing committed yet
        await uow.commit()
    await asyncio.wait_for(waiting, 1)


async def test_a_relay_sleeps_through_rollbacks_and_other_commits() -> None:
    store = MemoryStore()
    async with store.uow() as uow:
        await uow.outbox.append([MESSAGE], T0)
        await uow.rollback()
    async with store.uow() as uow:
        await uow.claim("wamid.1")
        await uow.commit()
    started = asyncio.get_running_loop().time()
    await store.wait_for_work(timeout=0.05)
    assert asyncio.get_running_loop().time() - started >= 0.04


async def test_work_committed_before_the_relay_waits_is_not_missed() -> None:
    store = MemoryStore()
    async with store.uow() as uow:
        await uow.outbox.append([MESSAGE], T0)
        await uow.commit()
    await asyncio.wait_for(store.wait_for_work(timeout=5), 1)


async def test_a_unit_of_work_can_commit_twice_like_a_session() -> None:
    store = MemoryStore()
    async with store.uow() as uow:
        assert await uow.claim("wamid.1")
        await uow.commit()
        assert await uow.claim("wamid.1") is False
        assert await uow.claim("wamid.2")
        await uow.commit()
    async with store.uow() as uow:
        assert not await uow.claim("wamid.2")


async def test_calendar_switch_and_busy_times_B37() -> None:
    calendar = MemoryCalendar([(0, time(10), time(18))], "Europe/London")
    day = (T0, T0 + timedelta(days=1))
    calendar.busy("studio-a", T0.replace(hour=10), T0.replace(hour=12))
    slots = await calendar.free_slots("studio-a", *day, timedelta(hours=2), 10)
    assert [slot.start.hour for slot in slots] == [12, 14, 16]
    elsewhere = await calendar.free_slots("studio-b", *day, timedelta(hours=2), 10)
    assert len(elsewhere) == 4  # bookings and busy times belong to one studio
    calendar.fail = True
    with pytest.raises(CalendarUnavailable):
        await calendar.free_slots("studio-a", *day, timedelta(hours=2), 10)
    with pytest.raises(CalendarUnavailable):
        await calendar.book("studio-a", slots[0], "lead-1", "Koi")
    calendar.fail = False
    reference = await calendar.book("studio-a", slots[0], "lead-1", "Koi")
    assert calendar.bookings[0].reference == reference and calendar.bookings[0].lead_id == "lead-1"
    with pytest.raises(SlotTaken):
        await calendar.book("studio-a", Slot(start=T0.replace(hour=11), end=slots[0].end), "x", "")


async def test_calendar_offers_the_first_start_after_a_busy_time_on_the_grid_B35() -> None:
    calendar = MemoryCalendar([(0, time(10), time(14))], "UTC", step=timedelta(minutes=30))
    calendar.busy("s", T0.replace(hour=10), T0.replace(hour=10, minute=40))
    slots = await calendar.free_slots("s", T0, T0 + timedelta(days=1), timedelta(hours=1), 10)
    assert [(slot.start.hour, slot.start.minute) for slot in slots] == [(11, 0), (12, 0), (13, 0)]


async def test_calendar_cancel_frees_the_slot_and_rebooking_is_idempotent_B36() -> None:
    calendar = MemoryCalendar([(0, time(10), time(14))], "UTC")
    day = (T0, T0 + timedelta(days=1))
    first = (await calendar.free_slots("s", *day, timedelta(hours=2), 10))[0]
    reference = await calendar.book("s", first, "lead-1", "Koi", "a koi on the forearm")
    assert await calendar.book("s", first, "lead-1", "Koi") == reference
    assert calendar.bookings[0].description == "a koi on the forearm"
    await calendar.cancel("s", reference)
    assert first in await calendar.free_slots("s", *day, timedelta(hours=2), 10)
    assert await calendar.book("s", first, "lead-2", "Rose") != reference


LEAD = "0f8fad5bd9cb469fa16570867728950e"  # lead ids are uuid hex


async def test_fake_payments_makes_stateless_session_ids_and_can_be_switched_off() -> None:
    payments = FakePayments(base_url="https://pay.example.test/")
    deposit = DepositRequest(
        lead_id=LEAD,
        studio="studio-a",
        amount=5000,
        currency="GBP",
        description="Deposit",
        attempt=1,
        expires_at=T0 + timedelta(hours=23),
        success_url="https://x.test/ok",
        cancel_url="https://x.test/no",
    )
    link = await payments.create_checkout(deposit)
    await payments.create_checkout(deposit)
    assert link.session_id == f"cs_fake_{LEAD}_1"
    assert link.url == f"https://pay.example.test/pay/cs_fake_{LEAD}_1"
    assert lead_of(link.session_id) == LEAD and lead_of("cs_test_a1b2") is None
    assert len(payments.sessions) == 1 and len(payments.requests) == 2
    payments.fail = True
    with pytest.raises(PaymentsUnavailable):
        await payments.create_checkout(deposit)


async def test_fake_payments_complete_gives_the_event_a_webhook_would_B33() -> None:
    payments = FakePayments()
    deposit = DepositRequest(
        lead_id=LEAD,
        studio="studio-a",
        amount=4000,
        currency="EUR",
        description="Deposit",
        attempt=2,
        expires_at=T0 + timedelta(hours=23),
        success_url="https://x.test/ok",
        cancel_url="https://x.test/no",
    )
    link = await payments.create_checkout(deposit)
    assert (await payments.checkout_state(link.session_id, "studio-a")).status == "open"
    event = payments.complete(link.session_id)
    assert event.event_id == f"evt_fake_{link.session_id}"
    assert (event.kind, event.type) == ("paid", "checkout.session.completed")
    assert (event.lead_ref, event.studio, event.amount, event.currency) == (
        LEAD,
        "studio-a",
        4000,
        "EUR",
    )
    state = await FakePayments().checkout_state(link.session_id, "studio-a")  # another process
    assert (state.status, state.paid, state.lead_ref) == ("open", False, LEAD)
    state = await payments.checkout_state(link.session_id, "studio-a")
    assert (state.status, state.paid, state.amount) == ("complete", True, 4000)


def test_fake_payments_decodes_the_events_it_helps_build() -> None:
    payments = FakePayments(secret="whsec_local")
    body = checkout_event_body("evt_1", "checkout.session.completed", "cs_fake_1", "lead-1", 5000)
    event = payments.decode_webhook(body, payments.sign(body, T0), T0 + timedelta(seconds=3))
    assert (event.kind, event.session_id, event.lead_ref) == ("paid", "cs_fake_1", "lead-1")
    assert (event.amount, event.currency) == (5000, "EUR")
    future = payments.sign(body, T0 + timedelta(minutes=10))
    assert payments.decode_webhook(body, future, T0).kind == "paid"  # only old ones are refused
