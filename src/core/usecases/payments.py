"""A payment event, from a Stripe webhook or the fake checkout page (B-33, B-34).

One unit of work: claim the event id *and* the session (a second Event object
for the same payment changes nothing), lock the lead, re-read the session from
the provider before fulfilling, decide, apply, commit. A ``PaymentsError`` from
the provider (re-read, fresh link) rolls everything back, claims included, so
the provider's retry is processed again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import msgspec

from core.domain.decision import Decision
from core.domain.events import Event
from core.domain.lead import Lead
from core.domain.payments import (
    IGNORED,
    Payment,
    decide_payment,
    fresh_link_due,
    needs_confirmation,
)
from core.domain.status import Status
from core.usecases.checkout import open_checkout
from core.usecases.context import Deployment
from core.usecases.persist import apply
from ports.clock import Clock
from ports.lead_repo import LeadNotFound
from ports.payments import PaymentEvent, Payments
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("inkbook.payments")

PROCESSED = "processed"
DUPLICATE = "duplicate"
REFUSED = "refused"  # recorded and ignored: nothing changed


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    result: str  # PROCESSED, DUPLICATE, REFUSED
    lead_id: str | None = None
    status: str | None = None
    reason: str | None = None


class HandlePayment:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deployment: Deployment,
        payments: Payments,
        offer: Callable[[str], Awaitable[object]] | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._payments = payments
        self._offer = offer  # B-35: slots offered once the deposit is paid

    async def __call__(self, event: PaymentEvent, actor: str = "stripe") -> PaymentOutcome:
        now = self._clock.now()
        async with self._uow() as uow:
            if not await uow.claim(f"stripe:event:{event.event_id}"):
                return PaymentOutcome(DUPLICATE)
            session_key = f"stripe:session:{event.session_id}:{event.kind}"
            if event.session_id and event.kind != IGNORED and not await uow.claim(session_key):
                return PaymentOutcome(DUPLICATE)  # another Event object, same payment
            lead = None
            if event.lead_ref and event.kind != IGNORED:
                try:
                    lead = await uow.leads.lock_by_id(event.lead_ref)
                except LeadNotFound:
                    lead = None
            if lead is None or (event.studio and event.studio != lead.studio):
                reason = "ignored" if event.kind == IGNORED else "no such lead"
                await uow.record_event(_unmatched(event, now, reason))
                await uow.commit()
                return PaymentOutcome(REFUSED, reason=reason)
            ctx = self._deployment.context(lead.studio, now)
            payment = _payment(event)
            if needs_confirmation(lead, payment):
                assert payment.session_id is not None
                state = await self._payments.checkout_state(payment.session_id, lead.studio)
                payment = msgspec.structs.replace(
                    payment,
                    confirmed=state.paid and state.session_id == payment.session_id,
                    amount=state.amount if state.amount is not None else payment.amount,
                )
            due = fresh_link_due(lead, payment, ctx)
            if due is not None:
                checkout = await open_checkout(self._payments, lead, due, ctx.public_url)
                payment = msgspec.structs.replace(payment, checkout=checkout)
            decision = decide_payment(lead, payment, ctx, actor)
            await _write(uow, decision, now)
            await uow.commit()
        if decision.refusal is not None:
            return PaymentOutcome(REFUSED, lead.id, lead.status, decision.refusal)
        status = decision.lead.status
        if status == Status.DEPOSIT_PAID and self._offer is not None:
            # After the payment's commit (the calendar is read outside any transaction); a
            # failure here leaves the paid lead for the artist, never undoes the payment.
            try:
                offered = await self._offer(decision.lead.id)
                status = getattr(offered, "status", status)
            except Exception as exc:
                log.error("slot offer after the deposit failed (%s)", type(exc).__name__)
                await self._offer_failed(decision.lead, type(exc).__name__)
        return PaymentOutcome(PROCESSED, lead.id, status)

    async def _offer_failed(self, lead: Lead, error: str) -> None:
        async with self._uow() as uow:
            await uow.record_event(
                Event(kind="slot_offer_failed", at=self._clock.now(), lead_id=lead.id,
                      studio=lead.studio, level="error", detail={"error": error})
            )
            await uow.commit()


async def _write(uow: UnitOfWork, decision: Decision, now: datetime) -> None:
    if decision.refusal is None:
        await apply(uow, decision, now)
        return
    for event in decision.events:  # refused: the lead stays as it is; the event is kept
        await uow.record_event(event)


def _payment(event: PaymentEvent) -> Payment:
    return Payment(
        kind=event.kind,
        event_id=event.event_id,
        type=event.type,
        session_id=event.session_id,
        amount=event.amount,
        currency=event.currency,
    )


def _unmatched(event: PaymentEvent, now: datetime, reason: str) -> Event:
    return Event(
        kind="payment_ignored",
        at=now,
        lead_id=None,
        studio=event.studio,
        level="info" if event.kind == IGNORED else "warning",
        detail={
            "reason": reason,
            "event_id": event.event_id,
            "type": event.type,
            "session_id": event.session_id,
            "lead_ref": event.lead_ref,
        },
    )
