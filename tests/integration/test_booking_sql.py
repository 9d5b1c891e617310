"""The booking flow on SQLite and PostgreSQL with the working-hours calendar on the database
(B-35 to B-37): concurrent choices of one slot, a failing calendar, booking by hand."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters.memory import MemoryCalendar
from adapters.sql import SqlHoursCalendar, SqlStore
from core.domain.slots import rules_for
from core.domain.status import Status
from core.usecases.inbound import PROCESSED
from ports.calendar import SlotTaken
from tests.unit.booking_harness import BookingHarness

CONTACTS = [f"4479110000{i:02d}" for i in range(10)]


def harness(studio, gazetteer, store: SqlStore, calendar=None) -> BookingHarness:
    return BookingHarness(studio, gazetteer, store=store,
                          calendar=calendar or SqlHoursCalendar(store, rules_for(studio)))


async def test_B36_ten_clients_choosing_the_same_slot_at_once_get_one_booking_nine_offers(
    sql_store: SqlStore, studio, gazetteer,
) -> None:
    h = harness(studio, gazetteer, sql_store)
    leads = [await h.offered(contact) for contact in CONTACTS]
    assert len({lead.offered_slots for lead in leads}) == 1  # all were offered the same times
    wanted = leads[0].offered_slots[0]
    h.clock.advance(seconds=30)
    outcomes = await asyncio.gather(*(h.handle(h.inbound("1", contact)) for contact in CONTACTS))
    assert all(o.result == PROCESSED for o in outcomes)
    statuses = sorted(o.status for o in outcomes)
    assert statuses == [Status.BOOKED] + [Status.BOOKING_PENDING] * 9
    after = [await h.lead(contact) for contact in CONTACTS]
    (winner,) = [lead for lead in after if lead.status == Status.BOOKED]
    assert winner.booking is not None and winner.booking.start == wanted
    for lead in after:
        if lead is not winner:
            assert lead.offered_slots and wanted not in lead.offered_slots  # a fresh offer
    free = await h.calendar.free_slots(studio.id, wanted - timedelta(hours=1),
                                       wanted + timedelta(hours=4), timedelta(hours=1), 10)
    assert all(not (s.start <= wanted < s.end) for s in free)


async def test_B37_a_calendar_that_fails_moves_to_preferred_times(
    sql_store: SqlStore, studio, gazetteer,
) -> None:
    rules = rules_for(studio)
    calendar = MemoryCalendar([(o.weekday, o.opens, o.closes) for o in rules.hours], rules.zone)
    h = harness(studio, gazetteer, sql_store, calendar)
    await h.offered()
    calendar.fail = True
    assert (await h.say("2")).status == Status.COLLECTING_TIME_WINDOWS
    assert (await h.say("weekday mornings")).status == Status.COLLECTING_TIME_WINDOWS
    lead = await h.lead()
    assert lead.answers["time_windows"].text == "weekday mornings"


async def test_B37_the_artist_booking_by_hand_cannot_double_book(
    sql_store: SqlStore, studio, gazetteer,
) -> None:
    h = harness(studio, gazetteer, sql_store)
    first = await h.offered(CONTACTS[0])
    other = await h.paid(CONTACTS[1], Status.COLLECTING_TIME_WINDOWS)
    start = first.offered_slots[0]
    results = await asyncio.gather(h.book(first.id, start), h.book(other.id, start),
                                   return_exceptions=True)
    assert sum(isinstance(r, SlotTaken) for r in results) == 1
    after = [await h.lead(contact) for contact in CONTACTS[:2]]
    assert [lead.status for lead in after].count(Status.BOOKED) == 1
    (loser,) = [lead for lead in after if lead.status != Status.BOOKED]
    assert loser.status in (Status.BOOKING_PENDING, Status.COLLECTING_TIME_WINDOWS)
    with pytest.raises(SlotTaken):  # an overlapping time is refused as well
        await h.book(loser.id, start + timedelta(minutes=30))
    assert (await h.lead(loser.contact)).status == loser.status
