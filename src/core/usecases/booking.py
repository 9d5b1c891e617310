"""Booking's I/O: free slots read and slots booked through the studio's Calendar (B-35 to B-37).

The calendar is called *outside* any unit of work's transaction: a calendar may
take seconds (CalDAV), and the working-hours calendar writes to the same database
(on SQLite, one writer at a time). A use case reads or books first, then locks
the lead, checks it still stands as it did, decides and commits. If the commit
fails after a booking, the booking is cancelled (compensation); booking is also
idempotent per lead and start, so a retried message books the same slot again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.domain.booking import (
    Booked,
    BookingOutcome,
    Taken,
    Unavailable,
    offer,
    session_length,
)
from core.domain.brief import answers_block
from core.domain.builder import Builder
from core.domain.copy import say
from core.domain.decision import Context, Decision
from core.domain.lead import Lead
from core.domain.slots import Slot, offer_range
from core.domain.status import Status
from core.usecases.context import Deployment
from core.usecases.persist import apply
from ports.calendar import Calendar, CalendarError, Calendars, SlotTaken
from ports.clock import Clock
from ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("inkbook.booking")


def calendar_of(calendars: Calendars | None, studio: str) -> Calendar | None:
    return calendars.of(studio) if calendars is not None else None


async def read_slots(calendar: Calendar | None, lead: Lead, ctx: Context) -> list[Slot] | None:
    """Free slots for the lead's session length; None: no calendar, or it failed (B-37)."""
    if calendar is None:
        return None
    studio = ctx.studio
    start, end = offer_range(ctx.now, studio.limits)
    try:
        return await calendar.free_slots(
            studio.id, start, end, session_length(lead, studio), studio.limits.max_slots
        )
    except CalendarError as error:
        log.warning("calendar unavailable: %s", error, extra={"lead_id": lead.id})
        return None


async def book_slot(calendar: Calendar, lead: Lead, slot: Slot, ctx: Context) -> str:
    """``calendar.book`` with the event's title and the brief as its description."""
    studio = ctx.studio
    title = say(studio, "artist_calendar_title", lead.id, name=lead.name or "",
                lead_id=lead.id, contact=lead.contact)
    return await calendar.book(
        studio.id, slot, lead.id, title[:200], description=answers_block(lead, ctx)
    )


async def book_choice(
    calendars: Calendars | None, lead: Lead, choice: int, ctx: Context
) -> BookingOutcome:
    """Book the ``choice``-th offered slot: booked, taken (with fresh slots) or unavailable."""
    calendar = calendar_of(calendars, lead.studio)
    if calendar is None:
        return Unavailable()
    start = lead.offered_slots[choice - 1]
    slot = Slot(start=start, end=start + session_length(lead, ctx.studio))
    try:
        return Booked(slot, await book_slot(calendar, lead, slot, ctx))
    except SlotTaken:
        fresh = await read_slots(calendar, lead, ctx)
        return Unavailable() if fresh is None else Taken(tuple(fresh))
    except CalendarError as error:
        log.warning("calendar unavailable: %s", error, extra={"lead_id": lead.id})
        return Unavailable()


async def undo(calendars: Calendars | None, lead: Lead, outcome: BookingOutcome | None,
               kept: Lead | None = None) -> None:
    """Cancel a booking the lead did not keep (its commit failed, or it changed meanwhile)."""
    if not isinstance(outcome, Booked) or outcome.reference is None:
        return
    if kept is not None and kept.booking is not None and (
        kept.booking.reference == outcome.reference
    ):
        return
    calendar = calendar_of(calendars, lead.studio)
    if calendar is None:
        return
    try:
        await calendar.cancel(lead.studio, outcome.reference)
    except CalendarError:  # logged: the artist's calendar holds a time nobody booked
        log.error("could not cancel booking %s", outcome.reference, extra={"lead_id": lead.id})


@dataclass(frozen=True, slots=True)
class Offered:
    lead_id: str
    status: str
    changed: bool


class OfferSlots:
    """DEPOSIT_PAID -> BOOKING_PENDING (or COLLECTING_TIME_WINDOWS): call after the payment's
    commit. Slots are read first, then the lead is locked; a lead no longer DEPOSIT_PAID
    is left as it is (another offer won)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, deployment: Deployment,
                 calendars: Calendars | None) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._calendars = calendars

    async def __call__(self, lead_id: str) -> Offered:
        now = self._clock.now()
        async with self._uow() as uow:
            lead = await uow.leads.lock_by_id(lead_id)
            await uow.rollback()  # the calendar reads in its own transaction
        ctx = self._deployment.context(lead.studio, now)
        slots = await read_slots(calendar_of(self._calendars, lead.studio), lead, ctx)
        async with self._uow() as uow:
            lead = await uow.leads.lock_by_id(lead_id)
            if lead.status != Status.DEPOSIT_PAID:
                return Offered(lead.id, lead.status, changed=False)
            decision = offer_decision(lead, slots, ctx)
            await apply(uow, decision, now)
            await uow.commit()
        return Offered(lead.id, decision.lead.status, changed=True)


def offer_decision(lead: Lead, slots: list[Slot] | None, ctx: Context) -> Decision:
    b = Builder(lead, ctx, actor="system")
    offer(b, slots)
    return b.build()
