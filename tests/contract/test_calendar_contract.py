"""Calendar contract (B-35, B-36), on Monday-Friday 10:00-18:00 in London."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from ports.calendar import Calendar, Slot, SlotTaken
from tests.contract.backends import BUFFERED_SETUP, CALENDAR_SETUP

STUDIO = CALENDAR_SETUP.studio
LONDON = ZoneInfo(CALENDAR_SETUP.tz)
MONDAY = datetime(2026, 3, 2, tzinfo=LONDON)  # winter: London is UTC+0
THREE_HOURS = timedelta(hours=3)


def local(day: datetime, hour: int, days: int = 0) -> datetime:
    return datetime.combine((day + timedelta(days=days)).date(), time(hour), tzinfo=LONDON)


async def test_free_slots_lie_inside_working_hours_in_order(calendar: Calendar) -> None:
    start, end = MONDAY, MONDAY + timedelta(days=7)
    slots = await calendar.free_slots(STUDIO, start, end, THREE_HOURS, limit=50)
    assert slots
    assert slots[0].start == local(MONDAY, 10)
    for slot in slots:
        assert slot.start.utcoffset() is not None
        assert slot.end - slot.start == THREE_HOURS
        assert start <= slot.start and slot.end <= end
        opens = slot.start.astimezone(LONDON)
        assert opens.weekday() < 5 and opens.time() >= time(10)
        assert slot.end.astimezone(LONDON).time() <= time(18)
    assert all(a.end <= b.start for a, b in pairwise(slots))


async def test_limit_and_range_are_respected(calendar: Calendar) -> None:
    week = await calendar.free_slots(STUDIO, MONDAY, MONDAY + timedelta(days=7), THREE_HOURS, 3)
    assert len(week) == 3
    afternoon = local(MONDAY, 14)
    later = await calendar.free_slots(STUDIO, afternoon, MONDAY + timedelta(days=7), THREE_HOURS, 5)
    assert later and all(slot.start >= afternoon for slot in later)
    weekend = MONDAY + timedelta(days=5)
    assert (
        await calendar.free_slots(STUDIO, weekend, weekend + timedelta(days=2), THREE_HOURS, 5)
        == []
    )


async def test_slots_follow_the_studio_clock_across_summer_time(calendar: Calendar) -> None:
    friday = datetime(2026, 3, 27, tzinfo=LONDON)  # London moves to UTC+1 on Sunday 29
    slots = await calendar.free_slots(
        STUDIO, friday, friday + timedelta(days=5), timedelta(hours=8), 10
    )
    assert [slot.start.astimezone(UTC).hour for slot in slots] == [10, 9, 9]
    assert {slot.start.astimezone(LONDON).hour for slot in slots} == {10}


async def test_a_booked_slot_is_no_longer_free_and_cannot_be_booked_twice(
    calendar: Calendar,
) -> None:
    slots = await calendar.free_slots(STUDIO, MONDAY, MONDAY + timedelta(days=1), THREE_HOURS, 10)
    chosen = slots[0]
    reference = await calendar.book(STUDIO, chosen, "lead-1", "Koi fish (lead-1)")
    assert isinstance(reference, str) and reference
    after = await calendar.free_slots(STUDIO, MONDAY, MONDAY + timedelta(days=1), THREE_HOURS, 10)
    assert chosen not in after
    assert all(slot.end <= chosen.start or slot.start >= chosen.end for slot in after)
    with pytest.raises(SlotTaken):
        await calendar.book(STUDIO, chosen, "lead-2", "Someone else")
    overlapping = Slot(start=chosen.start + timedelta(hours=1), end=chosen.end + timedelta(hours=1))
    with pytest.raises(SlotTaken):
        await calendar.book(STUDIO, overlapping, "lead-2", "Someone else")
    adjacent = Slot(start=chosen.end, end=chosen.end + THREE_HOURS)
    assert await calendar.book(STUDIO, adjacent, "lead-3", "Back to back") != reference


async def test_B36_ten_clients_choosing_one_slot_at_once_one_booking_nine_taken(
    calendar: Calendar,
) -> None:
    day = (MONDAY, MONDAY + timedelta(days=1))
    chosen = (await calendar.free_slots(STUDIO, *day, THREE_HOURS, 10))[0]
    results = await asyncio.gather(
        *(calendar.book(STUDIO, chosen, f"lead-{i}", f"Client {i}") for i in range(10)),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, str)]
    taken = [r for r in results if isinstance(r, SlotTaken)]
    assert (len(won), len(taken)) == (1, 9), results
    fresh = await calendar.free_slots(STUDIO, *day, THREE_HOURS, 10)
    assert fresh and all(not slot.clashes(chosen) for slot in fresh)  # the nine's new offer


async def test_B36_booking_again_for_the_same_lead_returns_the_same_reference(
    calendar: Calendar,
) -> None:
    chosen = Slot(start=local(MONDAY, 10), end=local(MONDAY, 13))
    reference = await calendar.book(STUDIO, chosen, "lead-1", "Koi", "forearm, 15 cm")
    assert await calendar.book(STUDIO, chosen, "lead-1", "Koi", "forearm, 15 cm") == reference
    with pytest.raises(SlotTaken):  # another lead still cannot have it
        await calendar.book(STUDIO, chosen, "lead-2", "Rose")


async def test_B37_cancelling_frees_the_slot_and_unknown_references_are_ignored(
    calendar: Calendar,
) -> None:
    day = (MONDAY, MONDAY + timedelta(days=1))
    chosen = (await calendar.free_slots(STUDIO, *day, THREE_HOURS, 10))[0]
    reference = await calendar.book(STUDIO, chosen, "lead-1", "Koi")
    await calendar.cancel(STUDIO, reference)
    await calendar.cancel(STUDIO, reference)  # twice: still fine
    await calendar.cancel(STUDIO, "no-such-booking")
    assert chosen in await calendar.free_slots(STUDIO, *day, THREE_HOURS, 10)
    assert await calendar.book(STUDIO, chosen, "lead-2", "Rose")


async def test_B35_the_buffer_is_kept_between_sessions(buffered_calendar: Calendar) -> None:
    calendar, buffer = buffered_calendar, BUFFERED_SETUP.buffer
    day = (MONDAY, MONDAY + timedelta(days=1))
    slots = await calendar.free_slots(STUDIO, *day, THREE_HOURS, 10)
    assert [s.start for s in slots] == [local(MONDAY, 10), local(MONDAY, 13) + buffer]
    first = slots[0]
    await calendar.book(STUDIO, first, "lead-1", "Koi")
    too_close = Slot(start=first.end, end=first.end + THREE_HOURS)
    with pytest.raises(SlotTaken):
        await calendar.book(STUDIO, too_close, "lead-2", "Back to back")
    before = Slot(start=first.start - THREE_HOURS, end=first.start - buffer / 2)
    with pytest.raises(SlotTaken):
        await calendar.book(STUDIO, before, "lead-3", "Ends inside the buffer")
    after = await calendar.free_slots(STUDIO, *day, THREE_HOURS, 10)
    assert after and all(s.start >= first.end + buffer for s in after)
    assert await calendar.book(STUDIO, after[0], "lead-2", "Half an hour later")
