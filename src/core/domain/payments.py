"""Payment events as decisions: paid and expired checkouts (B-33, B-34).

``decide_payment(lead, payment, ctx, actor) -> Decision``. The same trigger comes
from a Stripe webhook and from the fake checkout page. What does not fit the
lead (another session, a status that no longer expects it) is refused or
ignored, and recorded as an event: the decision carries that event and
``refusal`` says why; the lead does not change.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.domain import copy
from core.domain.builder import Builder
from core.domain.decision import Context, Decision
from core.domain.deposit import FRESH_LINK, Checkout, DepositDue, deposit_due, money
from core.domain.events import Event
from core.domain.lead import Lead
from core.domain.status import Status

PAID = "paid"
EXPIRED = "expired"
IGNORED = "ignored"
# Statuses a payment may still arrive in: awaiting it, or handed over meanwhile (B-33).
PAYABLE = frozenset({Status.AWAITING_DEPOSIT, Status.NEEDS_ARTIST_REPLY})


class Payment(msgspec.Struct, frozen=True, kw_only=True):
    """A payment event as the core sees it."""

    kind: str  # PAID, EXPIRED, IGNORED
    event_id: str
    type: str = ""
    session_id: str | None = None
    amount: int | None = None
    currency: str | None = None
    confirmed: bool = False  # the provider, asked again, says the session is paid (B-33)
    checkout: Checkout | None = None  # the fresh link for an expired one (B-34)


def recorded(lead: Lead, payment: Payment, ctx: Context, why: str, level: str = "info") -> Decision:
    """Nothing changes; the event is kept for the artist's audit trail."""
    event = Event(
        kind="payment_refused" if level == "warning" else "payment_ignored",
        at=ctx.now,
        lead_id=lead.id,
        studio=lead.studio,
        level=level,
        detail={
            "reason": why,
            "event_id": payment.event_id,
            "type": payment.type,
            "session_id": payment.session_id,
            "status": lead.status,
        },
    )
    return Decision(lead=lead, events=(event,), refusal=why)


def session_matches(lead: Lead, payment: Payment) -> bool:
    return lead.deposit is not None and lead.deposit.session_id == payment.session_id


def needs_confirmation(lead: Lead, payment: Payment) -> bool:
    """A paid event worth re-reading the session for before fulfilling (B-33)."""
    return (
        payment.kind == PAID
        and lead.status in PAYABLE
        and session_matches(lead, payment)
        and lead.deposit is not None
        and lead.deposit.paid_at is None
    )


def fresh_link_due(lead: Lead, payment: Payment, ctx: Context) -> DepositDue | None:
    """B-34: the one fresh link after the first one expired unpaid."""
    deposit = lead.deposit
    if (
        payment.kind != EXPIRED
        or payment.checkout is not None
        or lead.status != Status.AWAITING_DEPOSIT
        or not session_matches(lead, payment)
        or deposit is None
        or deposit.attempt >= FRESH_LINK
    ):
        return None
    return deposit_due(lead, ctx, attempt=FRESH_LINK)


def decide_payment(lead: Lead, payment: Payment, ctx: Context, actor: str = "stripe") -> Decision:
    if payment.kind not in (PAID, EXPIRED):
        return recorded(lead, payment, ctx, "not a payment event Inkbook acts on")
    if not session_matches(lead, payment):
        # A paid event for another session is refused loudly; a late expiry of a replaced
        # link is only noted.
        level = "warning" if payment.kind == PAID else "info"
        return recorded(lead, payment, ctx, "session_mismatch", level=level)
    if payment.kind == EXPIRED:
        return _expired(lead, payment, ctx, actor)
    return _paid(lead, payment, ctx, actor)


def _paid(lead: Lead, payment: Payment, ctx: Context, actor: str) -> Decision:
    deposit = lead.deposit
    assert deposit is not None  # session_matches
    if deposit.paid_at is not None or lead.status not in PAYABLE:
        return recorded(lead, payment, ctx, f"no payment expected in {lead.status}")
    if not payment.confirmed:
        return recorded(lead, payment, ctx, "the provider does not report it paid", "warning")
    if payment.amount is not None and payment.amount != deposit.amount:
        return recorded(lead, payment, ctx, "amount_mismatch", level="warning")
    b = Builder(lead, ctx, actor=actor)
    b.move(Status.DEPOSIT_PAID, "deposit_paid")
    b.update(deposit=msgspec.structs.replace(deposit, paid_at=ctx.now))
    b.stamp(deposit_paid=ctx.now)
    amount = money(ctx, deposit.amount, deposit.currency)
    b.tell("deposit_confirmed", amount=amount, policy=_policy(b))
    b.notify_artist("artist_deposit_paid", amount=amount, lead_id=lead.id, contact=lead.contact)
    b.event("deposit_paid", actor=actor, event_id=payment.event_id, session_id=payment.session_id)
    return b.build()


def _expired(lead: Lead, payment: Payment, ctx: Context, actor: str) -> Decision:
    deposit = lead.deposit
    assert deposit is not None
    if lead.status != Status.AWAITING_DEPOSIT or deposit.paid_at is not None:
        return recorded(lead, payment, ctx, f"no expiry expected in {lead.status}")
    if deposit.attempt >= FRESH_LINK:
        return recorded(lead, payment, ctx, "the fresh link was offered already")
    checkout = payment.checkout
    if checkout is None:
        return recorded(lead, payment, ctx, "no fresh checkout link was opened", "warning")
    b = Builder(lead, ctx, actor=actor)
    b.update(deposit=checkout.deposit())
    amount = money(ctx, checkout.amount, checkout.currency)
    b.tell("deposit_link_refreshed", url=checkout.url, amount=amount)
    b.event("deposit_link_refreshed", actor=actor, event_id=payment.event_id)
    return b.build()


def _policy(b: Builder) -> str:
    """The studio's deposit policy, as a part of the confirmation (voiced once, with it)."""
    params: dict[str, Any] = {"studio": b.studio.name, "artist": b.studio.artist_name}
    return copy.render(b.studio.copy, "deposit_policy", b.lead.id, name=b.first_name(), **params)
