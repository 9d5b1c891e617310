"""Free appointment slots from the studio's working hours (B-35): pure, no I/O, no clock.

Candidates start at each opening time, in the studio's time zone, so a day that
opens at 10:00 opens at 10:00 local on both sides of a daylight-saving change;
lengths, gaps and the answer are in absolute (UTC) time. A candidate that would
come within ``buffer`` of a busy time moves past it (to the next start on the
``step`` grid from the opening time); offered slots never overlap busy time
(plus the buffer) or each other. Both calendar adapters (working hours and
CalDAV) use :func:`free_slots` with the busy times they read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from core.domain.profile import Limits, Studio

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    """A span of time, timezone-aware: an offered or booked appointment, or a busy time."""

    start: datetime
    end: datetime

    def clashes(self, other: Slot, buffer: timedelta = timedelta(0)) -> bool:
        """True when the two overlap or come closer than ``buffer`` to each other."""
        return self.start < other.end + buffer and other.start < self.end + buffer


class Opening(msgspec.Struct, frozen=True, kw_only=True):
    weekday: int  # Monday is 0
    opens: time
    closes: time


class SlotRules(msgspec.Struct, frozen=True, kw_only=True):
    """How one studio's appointments are laid out (from its profile)."""

    zone: str  # IANA time zone, e.g. Europe/London
    hours: tuple[Opening, ...]
    buffer: timedelta = timedelta(0)  # free time kept between two sessions
    step: timedelta = timedelta(minutes=15)  # start times lie on this grid from opening


def opening(day: str, opens: time, closes: time) -> Opening:
    """An opening from the profile's words (``mon`` .. ``sun``)."""
    return Opening(weekday=DAYS.index(day), opens=opens, closes=closes)


def rules_for(studio: Studio) -> SlotRules:
    """The slot rules of a studio profile (time zone, working hours, buffer, grid)."""
    return SlotRules(
        zone=studio.timezone,
        hours=tuple(opening(d.day, d.opens, d.closes) for d in studio.working_hours),
        buffer=studio.limits.buffer,
        step=studio.limits.slot_step,
    )


def offer_range(now: datetime, limits: Limits) -> tuple[datetime, datetime]:
    """``[now + min_lead_time, now + horizon_days]``: when offered slots may lie."""
    return now + limits.min_lead_time, now + timedelta(days=limits.horizon_days)


def free_slots(
    rules: SlotRules,
    start: datetime,
    end: datetime,
    length: timedelta,
    busy: Iterable[Slot],
    limit: int,
) -> list[Slot]:
    """Up to ``limit`` free slots of ``length`` inside ``[start, end]``, oldest first, in UTC."""
    if length <= timedelta(0) or limit <= 0 or end <= start:
        return []
    blocked = sorted(busy, key=lambda b: b.start)
    found: list[Slot] = []
    for opens, closes in _windows(rules, start, end):
        moment = max(opens, _on_grid(opens, start, rules.step))
        while moment + length <= closes and len(found) < limit:
            slot = Slot(start=moment, end=moment + length)
            taken = (*blocked, *found)
            clash = next((b for b in taken if slot.clashes(b, rules.buffer)), None)
            if clash is None and slot.end <= end:
                found.append(slot)
                clear = slot.end + rules.buffer
            elif clash is None:
                return found
            else:
                clear = max(clash.end + rules.buffer, moment + rules.step)
            moment = _on_grid(opens, clear, rules.step)
        if len(found) >= limit:
            break
    return found


def _on_grid(origin: datetime, moment: datetime, step: timedelta) -> datetime:
    """The first time at or after ``moment`` that is ``origin`` plus whole ``step``s."""
    if moment <= origin or step <= timedelta(0):
        return max(origin, moment)
    steps = -((origin - moment) // step)  # ceiling division
    return origin + steps * step


def _windows(
    rules: SlotRules, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """(opens, closes) in UTC for every working window that may meet ``[start, end]``."""
    zone = ZoneInfo(rules.zone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        # A day's working time is the union of its windows: overlapping or touching
        # windows (10-14 and 13-18) are one stretch, so slots come out oldest first.
        spans: list[tuple[datetime, datetime]] = []
        for hours in sorted(
            (h for h in rules.hours if h.weekday == day.weekday()), key=lambda h: h.opens
        ):
            opens, closes = _utc(day, hours.opens, zone), _utc(day, hours.closes, zone)
            if spans and opens <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], closes))
            else:
                spans.append((opens, closes))
        for opens, closes in spans:
            if closes > start and opens < end:
                yield opens, closes
        day += timedelta(days=1)


def _utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
