"""Handle one inbound message: claim, lock, decide, save, outbox -- one unit of work."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.domain.decide import decide
from core.domain.decision import Context
from core.domain.events import Event
from core.domain.failures import decide_failed
from core.domain.inbound import Inbound
from core.domain.lead import Lead
from core.usecases.context import Deployment
from core.usecases.erase import silence_erased_optout  # issue 10 (B-40)
from core.usecases.persist import apply, received
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
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, deployment: Deployment) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment

    async def __call__(self, inbound: Inbound) -> Outcome:
        now = self._clock.now()
        ctx = self._deployment.context(inbound.studio, now)
        async with self._uow() as uow:
            if not await uow.claim(f"{inbound.provider}:{inbound.message_id}"):
                return Outcome(DUPLICATE)
            lead = await uow.leads.lock(inbound.studio, inbound.contact, now)
            lead = await silence_erased_optout(uow, lead, ctx)
            try:
                decision = decide(lead, inbound, ctx)
            except Exception as exc:  # a bug must not lose the client's message
                # The exception's text may quote the client: type and frames only (B-44).
                log.exception("decide failed", extra={"lead_id": lead.id})
                await self._failed(uow, lead, inbound, ctx, type(exc).__name__)
                await uow.commit()
                return Outcome(FAILED, lead.id, lead.status)
            ids = await apply(uow, decision, now, inbound)
            await uow.commit()
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
