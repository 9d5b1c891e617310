"""Booking use cases on the memory adapters: the offer after the deposit, a choice booked
through the calendar, taken slots, a failing calendar, the artist booking by hand
(B-35 to B-37, B-50)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.inbound import Choice
from core.domain.outbound import ListIntent
from core.domain.status import Status
from core.usecases.inbound import HandleInbound
from ports.calendar import SlotTaken
from tests.unit.booking_harness import BookingHarness
from tests.unit.harness import CLIENT


@pytest.fixture
def booking(studio, gazetteer) -> BookingHarness:
    return BookingHarness(studio, gazetteer)


async def test_B35_after_the_deposit_the_client_gets_up_to_max_slots_free_times(
    booking: BookingHarness,
) -> None:
    lead = await booking.offered()
    assert lead.status == Status.BOOKING_PENDING
    limits = booking.studio.limits
    assert len(lead.offered_slots) == limits.max_slots
    first = lead.offered_slots[0]
    assert first >= booking.clock.now() + limits.min_lead_time
    (offer,) = booking.messenger.to(CLIENT)
    assert isinstance(offer, ListIntent) and len(offer.rows) == limits.max_slots
    assert offer.rows[0].title == "Tue 24 Nov, 11:00"


async def test_B35_a_second_offer_changes_nothing(booking: BookingHarness) -> None:
    lead = await booking.offered()
    again = await booking.offer(lead.id)
    assert not again.changed and await booking.deliver() == 0


async def test_B36_a_list_reply_books_the_slot_and_confirms_to_both(
    booking: BookingHarness,
) -> None:
    offered = (await booking.offered()).offered_slots
    outcome = await booking.say(Choice("slot_2", "Tue 24 Nov, 14:30"))
    assert outcome.status == Status.BOOKED
    await booking.deliver()
    lead = await booking.lead()
    assert lead.booking is not None and lead.booking.start == offered[1]
    (entry,) = booking.calendar.bookings
    assert entry.reference == lead.booking.reference and entry.lead_id == lead.id
    assert entry.slot.end - entry.slot.start == timedelta(
        minutes=booking.studio.limits.default_session_minutes)
    confirmation = booking.messenger.texts(CLIENT)[-1]
    assert "Tue 24 Nov, 14:30" in confirmation and "/bookings/" in confirmation
    assert "Tue 24 Nov, 14:30" in booking.messenger.texts(booking.studio.artist_number)[-1]


async def test_B36_a_slot_taken_meanwhile_gets_a_fresh_offer(booking: BookingHarness) -> None:
    lead = await booking.offered()
    start = lead.offered_slots[0]
    booking.calendar.busy(booking.studio.id, start, start + timedelta(hours=1))
    outcome = await booking.say("1")
    assert outcome.status == Status.BOOKING_PENDING
    await booking.deliver()
    fresh = await booking.lead()
    assert start not in fresh.offered_slots and fresh.offered_slots
    assert booking.calendar.bookings == []
    assert booking.messenger.texts(CLIENT)[-1].startswith(
        tuple(v for v in booking.studio.copy["slot_taken"]))


async def test_B37_a_failing_calendar_asks_for_preferred_times_and_tells_the_artist(
    booking: BookingHarness,
) -> None:
    await booking.offered()
    booking.calendar.fail = True
    assert (await booking.say("2")).status == Status.COLLECTING_TIME_WINDOWS
    assert (await booking.say("Saturdays, any time")).status == Status.COLLECTING_TIME_WINDOWS
    await booking.deliver()
    lead = await booking.lead()
    assert lead.answers["time_windows"].text == "Saturdays, any time"
    assert "Saturdays, any time" in booking.messenger.texts(booking.studio.artist_number)[-1]


async def test_B37_no_calendar_means_preferred_times_straight_after_the_deposit(
    studio, gazetteer,
) -> None:
    booking = BookingHarness(studio, gazetteer, calendar=None)
    lead = await booking.offered()
    assert lead.status == Status.COLLECTING_TIME_WINDOWS


async def test_B37_the_artist_books_by_hand_and_cannot_double_book(
    booking: BookingHarness,
) -> None:
    first = await booking.paid(CLIENT, Status.COLLECTING_TIME_WINDOWS)
    other = await booking.paid("447911000002", Status.COLLECTING_TIME_WINDOWS)
    start = booking.clock.now() + timedelta(days=3)
    result = await booking.book(first.id, start)
    assert result.status == Status.BOOKED and result.refusal is None
    with pytest.raises(SlotTaken):
        await booking.book(other.id, start + timedelta(hours=1))
    assert (await booking.lead("447911000002")).status == Status.COLLECTING_TIME_WINDOWS
    again = await booking.book(first.id, start)
    assert again.refusal is not None and again.status == Status.BOOKED
    await booking.deliver()
    assert "/bookings/" in booking.messenger.texts(CLIENT)[-1]


async def test_B37_booking_by_hand_before_the_deposit_is_refused(
    booking: BookingHarness,
) -> None:
    lead = await booking.paid(CLIENT, Status.AWAITING_DEPOSIT)
    result = await booking.book(lead.id, booking.clock.now() + timedelta(days=3))
    assert result.refusal is not None and result.status == Status.AWAITING_DEPOSIT
    assert booking.calendar.bookings == []


async def test_B37_a_time_in_the_past_is_invalid(booking: BookingHarness) -> None:
    lead = await booking.paid(CLIENT, Status.BOOKING_PENDING)
    result = await booking.book(lead.id, booking.clock.now() - timedelta(hours=1))
    assert result.invalid is not None and booking.calendar.bookings == []


async def test_B36_a_booking_whose_commit_fails_is_cancelled_and_a_retry_books_again(
    booking: BookingHarness,
) -> None:
    await booking.offered()
    real = booking.store.uow

    def failing() -> object:
        uow = real()

        async def commit() -> None:
            raise RuntimeError("disk full")

        uow.commit = commit
        return uow

    args = (booking.clock, booking.deployment)
    booking.handle = HandleInbound(failing, *args, calendars=booking.calendars)
    with pytest.raises(RuntimeError):
        await booking.say("1")
    assert [entry.cancelled for entry in booking.calendar.bookings] == [True]
    assert (await booking.lead()).status == Status.BOOKING_PENDING
    booking.handle = HandleInbound(real, *args, calendars=booking.calendars)
    assert (await booking.say("1")).status == Status.BOOKED
    assert [entry.cancelled for entry in booking.calendar.bookings] == [True, False]


async def test_B35_the_sweeper_offers_slots_again_to_a_paid_lead_whose_offer_failed(
    booking: BookingHarness,
) -> None:
    """The offer after the payment raised (a fault, not a calendar outage): the lead sat in
    DEPOSIT_PAID. The next sweep offers the slots; a second sweep sends nothing more."""
    from core.usecases.sweep import Sweep

    lead = await booking.paid()
    sweep = Sweep(booking.store.uow, booking.clock, booking.deployment, offer=booking.offer)
    wait = booking.studio.limits.offer_retry_after + timedelta(seconds=1)
    booking.clock.advance(seconds=wait.total_seconds())
    report = await sweep.run_once()
    await booking.deliver()
    assert report.done == {Status.BOOKING_PENDING: 1}
    assert (await booking.lead(CLIENT)).status == Status.BOOKING_PENDING
    (offer,) = booking.messenger.to(CLIENT)
    assert isinstance(offer, ListIntent)
    again = await sweep.run_once()
    await booking.deliver()
    assert again.total == 0 and len(booking.messenger.to(CLIENT)) == 1
    assert lead.id == (await booking.lead(CLIENT)).id
