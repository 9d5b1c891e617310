"""The artist books a time by hand (B-37): ``POST /api/leads/{id}/book`` and the lead page.

From BOOKING_PENDING, COLLECTING_TIME_WINDOWS, or a paid lead in handover. The
slot (``start`` plus the lead's session length) goes through the studio's Calendar
port, so it cannot double-book: ``SlotTaken`` and ``CalendarUnavailable`` reach
the caller and nothing changes. A studio without a calendar (``{kind: none}``)
keeps its diary elsewhere: the booking is stored on the lead with no reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.domain.booking import Booked, booked, may_book_by_hand, session_length
from core.domain.builder import Builder
from core.domain.slots import Slot
from core.usecases.booking import book_slot, calendar_of, undo
from core.usecases.context import Deployment
from core.usecases.persist import apply
from ports.calendar import Calendars
from ports.clock import Clock
from ports.unit_of_work import UnitOfWorkFactory

NOT_NOW = "the lead cannot be booked in its current status"
PAST = "start must be in the future"


@dataclass(frozen=True, slots=True)
class BookResult:
    lead_id: str
    status: str
    refusal: str | None = None  # 409: the status does not allow booking
    invalid: str | None = None  # 400: the time itself is wrong
    booking: Slot | None = None


class BookByHand:
    """Raises ``LeadNotFound``, ``SlotTaken`` and ``CalendarUnavailable``; nothing changes then."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, deployment: Deployment,
                 calendars: Calendars | None) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._calendars = calendars

    async def __call__(self, lead_id: str, start: datetime, actor: str = "artist") -> BookResult:
        now = self._clock.now()
        async with self._uow() as uow:
            lead = await uow.leads.lock_by_id(lead_id)
            await uow.rollback()  # the calendar books in its own transaction
        if not may_book_by_hand(lead):
            return BookResult(lead.id, lead.status, refusal=NOT_NOW)
        if start <= now:
            return BookResult(lead.id, lead.status, invalid=PAST)
        ctx = self._deployment.context(lead.studio, now)
        slot = Slot(start=start, end=start + session_length(lead, ctx.studio))
        calendar = calendar_of(self._calendars, lead.studio)
        reference = None if calendar is None else await book_slot(calendar, lead, slot, ctx)
        outcome = Booked(slot, reference)
        async with self._uow() as uow:
            current = await uow.leads.lock_by_id(lead_id)
            if not may_book_by_hand(current):  # it moved while the calendar booked
                await undo(self._calendars, lead, outcome)
                return BookResult(current.id, current.status, refusal=NOT_NOW)
            b = Builder(current, ctx, actor=actor)
            booked(b, slot, reference, reason="booked_by_artist")
            decision = b.build()
            try:
                await apply(uow, decision, now)
                await uow.commit()
            except BaseException:
                await undo(self._calendars, lead, outcome)
                raise
        return BookResult(lead.id, decision.lead.status, booking=slot)
