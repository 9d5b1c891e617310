"""Slot rules (B-35): offered slots from working hours, busy times, buffer, lead time, horizon.

Properties (hypothesis) over random hours, zones, busy times and weeks that include
daylight-saving changes, then the two London changes of 2026 worked by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.profile import demo_profile_path, load_studio
from core.domain.slots import Opening, Slot, SlotRules, free_slots, offer_range, rules_for

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC")
# Weeks around daylight-saving changes (London 29 Mar and 25 Oct 2026, New York 8 Mar
# and 1 Nov, Sydney 5 Apr and 4 Oct) and an ordinary one.
WEEKS = tuple(
    datetime(2026, month, day, tzinfo=UTC)
    for month, day in ((3, 26), (10, 22), (3, 5), (10, 29), (4, 2), (10, 1), (6, 10))
)
QUARTER = timedelta(minutes=15)


@st.composite
def openings(draw: st.DrawFn) -> Opening:
    opens = draw(st.integers(6 * 4, 14 * 4))  # in quarter hours
    closes = draw(st.integers(opens + 4, min(opens + 44, 23 * 4 + 3)))
    return Opening(
        weekday=draw(st.integers(0, 6)),
        opens=time(opens // 4, opens % 4 * 15),
        closes=time(closes // 4, closes % 4 * 15),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[SlotRules, datetime, datetime, timedelta, list[Slot], int]:
    rules = SlotRules(
        zone=draw(st.sampled_from(ZONES)),
        hours=tuple(draw(st.lists(openings(), min_size=1, max_size=9))),
        buffer=draw(st.integers(0, 8)) * QUARTER,
        step=draw(st.sampled_from((5, 15, 30, 60))) * timedelta(minutes=1),
    )
    now = draw(st.sampled_from(WEEKS)) + draw(st.integers(0, 7 * 24 * 4)) * QUARTER
    start = now + draw(st.integers(0, 48)) * timedelta(hours=1)  # the minimum lead time
    end = start + draw(st.integers(1, 10)) * timedelta(days=1)  # the horizon
    length = draw(st.integers(2, 32)) * QUARTER
    busy = [
        Slot(start=at, end=at + draw(st.integers(1, 40)) * QUARTER)
        for at in (
            start + draw(st.integers(-8, 10 * 24 * 4)) * QUARTER
            for _ in range(draw(st.integers(0, 12)))
        )
    ]
    return rules, start, end, length, busy, draw(st.integers(1, 10))


def day_spans(rules: SlotRules, day: date) -> list[tuple[datetime, datetime]]:
    """The day's working time: the union of its windows (10-14 and 13-18 is 10-18)."""
    zone = ZoneInfo(rules.zone)
    windows = sorted(
        (datetime.combine(day, h.opens, tzinfo=zone), datetime.combine(day, h.closes, tzinfo=zone))
        for h in rules.hours
        if h.weekday == day.weekday()
    )
    spans: list[tuple[datetime, datetime]] = []
    for opens, closes in windows:
        if spans and opens <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], closes))
        else:
            spans.append((opens, closes))
    return spans


def inside_working_hours(rules: SlotRules, slot: Slot) -> bool:
    day = slot.start.astimezone(ZoneInfo(rules.zone)).date()
    return any(o <= slot.start and slot.end <= c for o, c in day_spans(rules, day))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_B35_offered_slots_avoid_busy_times_and_each_other_inside_hours_after_lead_time(
    case: tuple[SlotRules, datetime, datetime, timedelta, list[Slot], int],
) -> None:
    rules, start, end, length, busy, limit = case
    slots = free_slots(rules, start, end, length, busy, limit)
    assert len(slots) <= limit
    for slot in slots:
        assert slot.start.utcoffset() == timedelta(0)  # aware UTC
        assert slot.end - slot.start == length
        assert start <= slot.start and slot.end <= end  # after the lead time, before the horizon
        assert inside_working_hours(rules, slot)
        assert not any(slot.clashes(b, rules.buffer) for b in busy)
    assert all(a.end + rules.buffer <= b.start for a, b in pairwise(slots))  # oldest first


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_B35_with_nothing_busy_every_working_day_in_range_opens_at_its_local_opening_time(
    case: tuple[SlotRules, datetime, datetime, timedelta, list[Slot], int],
) -> None:
    rules, start, end, length, _, _ = case
    zone = ZoneInfo(rules.zone)
    slots = free_slots(rules, start, end, length, [], limit=1000)
    starts = {slot.start for slot in slots}
    day = start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        # Each stretch of the day's working time (its windows merged) opens with a slot,
        # unless the previous stretch's last session (plus buffer) reaches into it.
        previous_close = None
        for opens, closes in day_spans(rules, day):
            clear = previous_close is None or previous_close + rules.buffer <= opens
            if clear and start <= opens and opens + length <= min(closes, end):
                assert opens.astimezone(UTC) in starts, (day, opens)
            previous_close = closes
        day += timedelta(days=1)


LONDON = ZoneInfo("Europe/London")
WEEKDAYS_10_TO_18 = SlotRules(
    zone="Europe/London",
    hours=tuple(Opening(weekday=d, opens=time(10), closes=time(18)) for d in range(7)),
)


def test_B35_london_spring_forward_keeps_ten_o_clock_local() -> None:
    friday = datetime(2026, 3, 27, tzinfo=LONDON)  # clocks go forward on Sunday 29
    slots = free_slots(
        WEEKDAYS_10_TO_18, friday, friday + timedelta(days=4), timedelta(hours=8), [], 10
    )
    assert [s.start.astimezone(LONDON).hour for s in slots] == [10, 10, 10, 10]
    assert [s.start.hour for s in slots] == [10, 10, 9, 9]  # UTC: GMT, then BST


def test_B35_london_fall_back_keeps_ten_o_clock_local() -> None:
    friday = datetime(2026, 10, 23, tzinfo=LONDON)  # clocks go back on Sunday 25
    slots = free_slots(
        WEEKDAYS_10_TO_18, friday, friday + timedelta(days=4), timedelta(hours=8), [], 10
    )
    assert [s.start.astimezone(LONDON).hour for s in slots] == [10, 10, 10, 10]
    assert [s.start.hour for s in slots] == [9, 9, 10, 10]


def test_B35_a_busy_time_pushes_the_next_slot_past_it_and_its_buffer_on_the_grid() -> None:
    rules = SlotRules(
        zone="UTC",
        hours=(Opening(weekday=0, opens=time(10), closes=time(18)),),
        buffer=timedelta(minutes=20),
        step=timedelta(minutes=30),
    )
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    busy = [Slot(start=monday.replace(hour=11), end=monday.replace(hour=12, minute=5))]
    slots = free_slots(rules, monday, monday + timedelta(days=1), timedelta(hours=2), busy, 5)
    # 10:00 would end at 12:00, inside the busy time; 12:05 + 20 min -> 12:30 on the grid;
    # 14:30 + 20 min -> 15:00; 17:20 would not fit before 18:00.
    assert [(s.start.hour, s.start.minute) for s in slots] == [(12, 30), (15, 0)]


def test_B35_the_demo_profile_gives_the_rules_and_the_offer_range() -> None:
    studio = load_studio(demo_profile_path())
    rules = rules_for(studio)
    assert rules.zone == "Europe/London" and rules.buffer == timedelta(minutes=30)
    assert {h.weekday for h in rules.hours} == {1, 2, 3, 4, 5}  # tue..sat
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert offer_range(now, studio.limits) == (now + timedelta(hours=24), now + timedelta(days=60))
