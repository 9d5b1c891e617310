"""The client's answer while booking: a slot choice (B-19, B-36) or preferred times (B-37).

:func:`pick` is what the inbound use case asks before it books (it never books);
:func:`choose` and :func:`preferred_times` are called by ``decide`` for
BOOKING_PENDING and COLLECTING_TIME_WINDOWS.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec

from core.domain.booking import Booked, BookingOutcome, Taken, Unavailable, booked, taken
from core.domain.booking import collect_time_windows as collect
from core.domain.builder import Builder
from core.domain.copy import say
from core.domain.decision import Context
from core.domain.handing_over import enter_handover, hold, pass_on
from core.domain.inbound import Choice, Inbound, Text
from core.domain.keywords import keyword
from core.domain.lead import Lead
from core.domain.parsers import Failure
from core.domain.parsers.slot import parse_slot
from core.domain.parsers.time_windows import parse_time_windows
from core.domain.status import Status

SLOT_KEY = "slot"  # parse_failures counter of the slot choice (B-36)
WINDOWS_KEY = "time_windows"  # the answer holding the client's preferred times (B-37)
_SLOT_ID = re.compile(r"slot_(\d{1,2})")


def pick(lead: Lead, inbound: Inbound, ctx: Context) -> int | None:
    """The 1-based slot the message chooses, or None (unclear, or not a choice at all).

    None as well for anything ``decide`` handles before the status: the pilot gate,
    a global keyword (STOP, HUMAN...), panic mode, a message older than the last.
    Times and weekdays are read in the studio's time zone.
    """
    studio = ctx.studio
    offered = lead.offered_slots
    if lead.status != Status.BOOKING_PENDING or not offered:
        return None
    if studio.modes.panic or (
        studio.modes.pilot and lead.contact not in studio.modes.pilot_allowlist
    ):
        return None
    last = lead.times.last_client_message
    if last is not None and inbound.at < last:
        return None
    content = inbound.content
    zone = ZoneInfo(studio.timezone)
    if isinstance(content, Choice):
        match = _SLOT_ID.fullmatch(content.id)
        index = int(match[1]) if match else 0
        if 1 <= index <= len(offered) and _shows(lead, ctx, offered[index - 1], content.title):
            return index
        text = content.title  # a list from an older offer: its title says which time
    elif isinstance(content, Text):
        text = content.body
    else:
        return None
    if keyword(text) is not None:
        return None
    result = parse_slot(text, [start.astimezone(zone) for start in offered])
    return None if isinstance(result, Failure) else result.choice


def _shows(lead: Lead, ctx: Context, start: datetime, title: str) -> bool:
    """Whether ``title`` (as tapped, maybe shortened) is the option shown for ``start``."""
    studio = ctx.studio
    when = ctx.formats.moment(start, studio.timezone, studio.locale)
    shown = say(studio, "slot_option", lead.id, when=when)
    return not title or shown.startswith(title.removesuffix("…").rstrip())


def choose(b: Builder, inbound: Inbound, outcome: BookingOutcome | None) -> None:
    """BOOKING_PENDING: book, offer afresh, fall back to preferred times, or repair (B-36)."""
    match outcome:
        case Booked(slot=slot, reference=reference):
            b.update(parse_failures={**b.lead.parse_failures, SLOT_KEY: 0})
            booked(b, slot, reference)
        case Taken(fresh=fresh):
            taken(b, fresh)
        case Unavailable():
            b.event("calendar_unavailable", level="warning")
            collect(b, "calendar_unavailable")
        case None:
            if not inbound.text():  # a photo, a sticker: the artist sees it, the offer stands
                pass_on(b, f"[{type(inbound.content).__name__.lower()}]")
            repair_choice(b)


def repair_choice(b: Builder) -> None:
    """An unclear choice: ``repair_slot``; at ``max_parse_failures``, handover (B-36)."""
    failures = dict(b.lead.parse_failures)
    failures[SLOT_KEY] = failures.get(SLOT_KEY, 0) + 1
    b.update(parse_failures=failures)
    if failures[SLOT_KEY] >= b.studio.limits.max_parse_failures:
        enter_handover(b, "parse_failures")
        return
    b.tell("repair_slot")


def preferred_times(b: Builder, inbound: Inbound) -> None:
    """COLLECTING_TIME_WINDOWS: the message is stored as the client's preferred times and
    given to the artist; the client is thanked once per cooldown (B-37)."""
    text = inbound.text().strip()
    if not text:
        pass_on(b, f"[{type(inbound.content).__name__.lower()}]")
        hold(b, "awaiting_artist", b.studio.limits.awaiting_reply_cooldown)
        return
    windows = parse_time_windows(text[:500])  # structured where it can be (issue 11 parser)
    value = None if isinstance(windows, Failure) else msgspec.to_builtins(windows)
    b.record(WINDOWS_KEY, text[:500], inbound, value)
    b.notify_artist(
        "artist_time_windows", windows=text[:500], lead_id=b.lead.id, contact=b.lead.contact
    )
    hold(b, "time_windows_received", b.studio.limits.awaiting_reply_cooldown)
