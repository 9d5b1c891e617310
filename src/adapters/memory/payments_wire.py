"""Stripe-shaped webhook bodies: signing, decoding and building them (the fake's wire)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

import msgspec

from ports.payments import PaymentEvent

PAID_TYPES = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})
EXPIRED_TYPE = "checkout.session.expired"
COMPLETED_TYPE = "checkout.session.completed"


class _Session(msgspec.Struct, kw_only=True):
    id: str
    payment_status: str | None = None
    client_reference_id: str | None = None
    amount_total: int | None = None
    currency: str | None = None
    metadata: dict[str, Any] | None = None


class _Data(msgspec.Struct):
    object: _Session


class Event(msgspec.Struct, kw_only=True):
    id: str
    type: str
    data: _Data


def stripe_signature(secret: str, body: bytes, at: datetime) -> str:
    """A ``Stripe-Signature`` header value for ``body`` signed at ``at``."""
    stamp = int(at.timestamp())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def to_payment_event(event: Event) -> PaymentEvent:
    session = event.data.object
    if event.type in PAID_TYPES and session.payment_status == "paid":
        kind = "paid"
    elif event.type == EXPIRED_TYPE:
        kind = "expired"
    else:
        kind = "ignored"
    metadata = session.metadata or {}
    return PaymentEvent(
        event_id=event.id,
        kind=kind,
        type=event.type,
        session_id=session.id,
        lead_ref=session.client_reference_id or metadata.get("lead_id"),
        studio=metadata.get("studio"),
        amount=session.amount_total,
        currency=session.currency.upper() if session.currency else None,
    )


def checkout_event_body(
    event_id: str,
    event_type: str,
    session_id: str,
    lead_ref: str | None,
    amount: int | None = None,
    currency: str = "eur",
    payment_status: str = "paid",
) -> bytes:
    """A minimal Stripe-shaped event body, for tests and the local simulator."""
    session: dict[str, Any] = {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": payment_status,
        "client_reference_id": lead_ref,
        "amount_total": amount,
        "currency": currency,
        "metadata": {"lead_id": lead_ref} if lead_ref else {},
    }
    event = {"id": event_id, "object": "event", "type": event_type, "data": {"object": session}}
    return msgspec.json.encode(event)
