"""Booking after the deposit: offer slots, book the choice, or collect times (B-31, B-35 to B-37).

Pure: the use case reads the calendar and books; these functions decide what the
client and the artist are told and where the lead goes. A booking attempt comes
in as a :data:`BookingOutcome`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import msgspec

from core.domain.booking_file import booking_file_link
from core.domain.builder import Builder
from core.domain.lead import Booking, Lead
from core.domain.outbound import Button, ButtonsIntent, Intent, ListIntent, Row
from core.domain.profile import Studio
from core.domain.slots import Slot
from core.domain.status import Status

# Provider facts (B-31, PROVIDERS.md): WhatsApp reply buttons and list rows.
MAX_BUTTONS = 3
MAX_ROWS = 10
BUTTON_TITLE = 20
ROW_TITLE = 24
ROW_DESCRIPTION = 72
SLOT_ID = "slot_{}"
SIZE_KIND = "dimensions"


class Booked(msgspec.Struct, frozen=True, tag="booked"):
    """The calendar holds ``slot`` for the lead under ``reference``."""

    slot: Slot
    reference: str | None


class Taken(msgspec.Struct, frozen=True, tag="taken"):
    """The chosen slot went to someone else; ``fresh`` are the slots free now."""

    fresh: tuple[Slot, ...]


class Unavailable(msgspec.Struct, frozen=True, tag="unavailable"):
    """No calendar, or it failed or did not answer (B-37)."""


BookingOutcome = Booked | Taken | Unavailable


def session_length(lead: Lead, studio: Studio) -> timedelta:
    """``limits.session_minutes`` for the lead's size class, else the studio's default."""
    limits = studio.limits
    size_class = None
    for question in studio.questions:
        answer = lead.answers.get(question.key)
        if question.kind == SIZE_KIND and answer is not None and isinstance(answer.value, dict):
            size_class = answer.value.get("size_class")
    minutes = limits.session_minutes.get(size_class or "", limits.default_session_minutes)
    return timedelta(minutes=minutes)


def offer(b: Builder, slots: Sequence[Slot] | None, key: str = "slot_offer") -> None:
    """-> BOOKING_PENDING with up to ``max_slots`` slots, else COLLECTING_TIME_WINDOWS (B-37)."""
    if not slots:
        collect_time_windows(b, "no_free_slots" if slots is not None else "no_calendar")
        return
    offered = tuple(slots[: min(b.studio.limits.max_slots, MAX_ROWS)])
    if b.lead.status != Status.BOOKING_PENDING:
        b.move(Status.BOOKING_PENDING, "slots_offered")
    b.update(offered_slots=tuple(slot.start for slot in offered))
    b.tell(key, _choices(b, b.text(key), offered))
    b.event("slots_offered", count=len(offered))


def _choices(b: Builder, body: str, slots: Sequence[Slot]) -> Intent:
    """Reply buttons for up to three short titles, else a list (B-31)."""
    titles = [b.text("slot_option", when=moment(b, slot)) for slot in slots]
    ids = [SLOT_ID.format(i) for i in range(1, len(slots) + 1)]
    if len(slots) <= MAX_BUTTONS and all(len(t) <= BUTTON_TITLE for t in titles):
        return ButtonsIntent(body, tuple(Button(i, t) for i, t in zip(ids, titles, strict=True)))
    rows = tuple(
        Row(i, t, None)
        if len(t) <= ROW_TITLE
        else Row(i, t[: ROW_TITLE - 1].rstrip() + "…", t[:ROW_DESCRIPTION])
        for i, t in zip(ids, titles, strict=True)
    )
    return ListIntent(body, b.text("slot_list_button")[:BUTTON_TITLE], rows)


def moment(b: Builder, slot: Slot) -> str:
    studio = b.studio
    return b.ctx.formats.moment(slot.start, studio.timezone, studio.locale)


def booked(b: Builder, slot: Slot, reference: str | None, reason: str = "slot_chosen") -> None:
    """-> BOOKED: the booking stored, the client confirmed with the .ics link, the artist told."""
    b.move(Status.BOOKED, reason)
    b.update(
        booking=Booking(start=slot.start, end=slot.end, reference=reference), offered_slots=()
    )
    b.stamp(booked=b.ctx.now)
    when = moment(b, slot)
    link = booking_file_link(b.ctx.public_url, b.ctx.secret, b.lead, b.studio) or ""
    b.tell("slot_booked", when=when, link=link)
    b.notify_artist(
        "artist_booked",
        when=when,
        lead_id=b.lead.id,
        contact=b.lead.contact,
        reference=reference or "-",
    )


def taken(b: Builder, fresh: Sequence[Slot]) -> None:
    """The slot went since it was offered: ``slot_taken`` with a fresh offer (B-36)."""
    b.event("slot_taken")
    if not fresh:
        collect_time_windows(b, "no_free_slots")
        return
    offer(b, fresh, key="slot_taken")


def collect_time_windows(b: Builder, reason: str) -> None:
    """-> COLLECTING_TIME_WINDOWS: the client is asked for preferred days and times (B-37)."""
    b.move(Status.COLLECTING_TIME_WINDOWS, reason)
    b.update(offered_slots=())
    b.stamp(last_hold_reply=None)  # the first preferred times always get their thanks
    b.tell("ask_time_windows")


def may_book_by_hand(lead: Lead) -> bool:
    """The artist may book from these statuses (B-37): after the deposit, never before."""
    paid = lead.deposit is not None and lead.deposit.paid_at is not None
    return lead.status in (Status.BOOKING_PENDING, Status.COLLECTING_TIME_WINDOWS) or (
        lead.status == Status.NEEDS_ARTIST_REPLY and paid
    )
