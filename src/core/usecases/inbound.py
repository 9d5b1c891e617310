"""Handle one inbound message: claim, lock, decide, save, outbox -- one unit of work."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.domain.booking import BookingOutcome
from core.domain.decide import decide as decide  # the group commit decides with it too
from core.domain.decision import Context
from core.domain.events import Event
from core.domain.failures import decide_failed
from core.domain.inbound import Inbound
from core.domain.lead import Lead
from core.domain.slot_choice import pick as pick
from core.usecases.booking import book_choice, undo
from core.usecases.context import Deployment
from core.usecases.erase import silence_erased_optout  # issue 10 (B-40)
from core.usecases.persist import apply, received
from ports.calendar import Calendars
from ports.clock import Clock
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("inkbook.inbound")

PROCESSED = "processed"
DUPLICATE = "duplicate"
FAILED = "failed"  # decide raised: the message is kept and the fault recorded


@dataclass(frozen=True, slots=True)
class Outcome:
    result: str
    lead_id: str | None = None
    status: str | None = None
    queued: int = 0


class HandleInbound:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deployment: Deployment,
        calendars: Calendars | None = None,  # None: no studio has a calendar (B-37)
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._calendars = calendars

    async def __call__(self, inbound: Inbound) -> Outcome:
        now = self._clock.now()
        ctx = self._deployment.context(inbound.studio, now)
        async with self._uow() as uow:
            if not await uow.claim(f"{inbound.provider}:{inbound.message_id}"):
                return Outcome(DUPLICATE)
            lead = await uow.leads.lock(inbound.studio, inbound.contact, now)
            lead = await silence_erased_optout(uow, lead, ctx)
            booking: BookingOutcome | None = None
            choice = pick(lead, inbound, ctx)
            if choice is not None:  # B-36: book outside the transaction, then lock again
                await uow.rollback()
                booking = await book_choice(self._calendars, lead, choice, ctx)
                if not await uow.claim(f"{inbound.provider}:{inbound.message_id}"):
                    await undo(self._calendars, lead, booking)
                    return Outcome(DUPLICATE)
                before, lead = lead, await uow.leads.lock(inbound.studio, inbound.contact, now)
                if (lead.status, lead.offered_slots) != (before.status, before.offered_slots):
                    await undo(self._calendars, lead, booking)  # changed meanwhile: decide afresh
                    booking = None
            try:
                decision = (  # the booking outcome only when a slot was chosen
                    decide(lead, inbound, ctx)
                    if booking is None
                    else decide(lead, inbound, ctx, booking=booking)
                )
            except Exception as exc:  # a bug must not lose the client's message
                await undo(self._calendars, lead, booking)
                # The exception's text may quote the client: type and frames only (B-44).
                log.exception("decide failed", extra={"lead_id": lead.id})
                await self._failed(uow, lead, inbound, ctx, type(exc).__name__)
                await uow.commit()
                return Outcome(FAILED, lead.id, lead.status)
            try:
                ids = await apply(uow, decision, now, inbound)
                await uow.commit()
            except BaseException:  # compensation: the booking is not kept without the lead
                await undo(self._calendars, lead, booking)
                raise
        return Outcome(PROCESSED, decision.lead.id, decision.lead.status, len(ids))

    async def _failed(
        self, uow: UnitOfWork, lead: Lead, inbound: Inbound, ctx: Context, error: str
    ) -> None:
        """Keep the message, record the fault and alert the artist through the outbox (B-9)."""
        try:
            alert = decide_failed(lead, ctx, error, inbound.message_id, inbound.text())
        except Exception:  # the alert itself failed: still keep the message and the fault
            log.exception("artist alert failed", extra={"lead_id": lead.id})
            await uow.leads.add_thread([received(lead.id, inbound)])
            await uow.record_event(
                Event(
                    kind="decide_failed",
                    at=ctx.now,
                    lead_id=lead.id,
                    studio=lead.studio,
                    level="error",
                    detail={"error": error, "message_id": inbound.message_id},
                )
            )
            return
        await apply(uow, alert, ctx.now, inbound)
