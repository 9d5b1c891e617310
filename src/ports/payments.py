"""Payments: deposit checkout, webhook decoding and session re-reads (B-32 to B-34, B-42)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec


class DepositRequest(msgspec.Struct, frozen=True, kw_only=True):
    lead_id: str
    studio: str
    amount: int  # minor units
    currency: str  # ISO 4217, upper case
    description: str  # the line item name the client sees at checkout
    attempt: int  # 1 for the first link, 2 for the one fresh link after expiry (B-34)
    expires_at: datetime  # aware UTC; Stripe allows 30 min .. 24 h after creation
    success_url: str
    cancel_url: str

    def idempotency_key(self) -> str:
        return f"deposit:{self.studio}:{self.lead_id}:{self.attempt}"


class CheckoutLink(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    url: str
    expires_at: datetime


class PaymentEvent(msgspec.Struct, frozen=True, kw_only=True):
    event_id: str  # the provider's evt_... (dedupe key, B-33)
    kind: str  # "paid", "expired", "ignored"
    type: str = ""  # the provider's event type, e.g. "checkout.session.completed"
    session_id: str | None = None
    lead_ref: str | None = None  # client_reference_id, else metadata.lead_id
    studio: str | None = None  # metadata.studio when present
    amount: int | None = None
    currency: str | None = None  # upper case


class CheckoutState(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    status: str  # "open", "complete", "expired"
    paid: bool  # payment_status == "paid"
    lead_ref: str | None = None
    amount: int | None = None
    currency: str | None = None  # upper case


class PaymentsError(Exception):
    pass


class InvalidSignature(PaymentsError):
    """401 at the edge, nothing stored."""


class MalformedEvent(PaymentsError):
    """Signed, but not an event: 400."""


class PaymentsUnavailable(PaymentsError):
    """Network, timeout, 5xx, 429: try again later."""


class PaymentRefused(PaymentsError):
    """A 4xx the provider will never accept (bad key, bad parameters)."""


class Payments(Protocol):
    async def create_checkout(self, request: DepositRequest) -> CheckoutLink:
        """Idempotent per ``request.idempotency_key()``: asking twice creates one session."""
        ...

    def decode_webhook(self, body: bytes, signature: str, now: datetime) -> PaymentEvent:
        """Verify ``Stripe-Signature`` over the raw bytes (tolerance 300 s against ``now``,
        any matching v1, any configured secret: global and per-studio, two during a secret
        roll), then decode; raises InvalidSignature / MalformedEvent."""
        ...

    async def checkout_state(self, session_id: str, studio: str) -> CheckoutState:
        """Re-read a session from the provider (before fulfilling, B-33)."""
        ...
