"""Payments: deposit checkout and webhook decoding (B-32 to B-34)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec


class DepositRequest(msgspec.Struct, frozen=True, kw_only=True):
    lead_id: str
    studio: str
    amount: int  # minor units
    currency: str  # ISO 4217, upper case
    description: str
    attempt: int
    expires_at: datetime
    success_url: str
    cancel_url: str

    def idempotency_key(self) -> str:
        return f"deposit:{self.studio}:{self.lead_id}:{self.attempt}"


class CheckoutLink(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    url: str
    expires_at: datetime


class PaymentEvent(msgspec.Struct, frozen=True, kw_only=True):
    event_id: str
    kind: str  # "paid", "expired", "ignored"
    session_id: str | None = None
    lead_ref: str | None = None
    amount: int | None = None
    currency: str | None = None


class PaymentsError(Exception):
    pass


class InvalidSignature(PaymentsError):
    pass


class MalformedEvent(PaymentsError):
    pass


class PaymentsUnavailable(PaymentsError):
    pass


class Payments(Protocol):
    async def create_checkout(self, request: DepositRequest) -> CheckoutLink:
        """Idempotent per ``request.idempotency_key()``: asking twice charges once."""
        ...

    def decode_webhook(self, body: bytes, signature: str, now: datetime) -> PaymentEvent:
        """Verify over the raw bytes, then decode; raises InvalidSignature / MalformedEvent."""
        ...
