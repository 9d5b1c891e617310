"""Fake deposit checkout with Stripe-style signed webhooks (B-32 to B-34, B-42)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

import msgspec

from ports.payments import (
    CheckoutLink,
    DepositRequest,
    InvalidSignature,
    MalformedEvent,
    PaymentEvent,
    PaymentsUnavailable,
)

PAID_TYPES = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})
EXPIRED_TYPE = "checkout.session.expired"


class _Session(msgspec.Struct, kw_only=True):
    id: str
    payment_status: str | None = None
    client_reference_id: str | None = None
    amount_total: int | None = None
    currency: str | None = None
    metadata: dict[str, Any] | None = None


class _Data(msgspec.Struct):
    object: _Session


class _Event(msgspec.Struct, kw_only=True):
    id: str
    type: str
    data: _Data


def stripe_signature(secret: str, body: bytes, at: datetime) -> str:
    """A ``Stripe-Signature`` header value for ``body`` signed at ``at``."""
    stamp = int(at.timestamp())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


class FakePayments:
    """``Payments`` port without a network.

    Checkouts are idempotent per ``request.idempotency_key()``; ``sessions``
    counts the distinct ones. Webhooks are verified exactly like Stripe's (HMAC
    over ``"<t>.<body>"``, any ``v1``, constant time, old timestamps refused),
    so a test signs bodies with :meth:`sign`. Set ``fail = True`` to make
    checkout creation raise :class:`PaymentsUnavailable`.
    """

    def __init__(
        self,
        secret: str = "whsec_test_secret",
        base_url: str = "https://pay.example.test",
        tolerance: timedelta = timedelta(minutes=5),
    ) -> None:
        self.secret = secret
        self.fail = False
        self.requests: list[DepositRequest] = []
        self.sessions: dict[str, CheckoutLink] = {}
        self._base_url = base_url.rstrip("/")
        self._tolerance = tolerance

    async def create_checkout(self, request: DepositRequest) -> CheckoutLink:
        if self.fail:
            raise PaymentsUnavailable("fake payments switched off")
        self.requests.append(request)
        key = request.idempotency_key()
        if key not in self.sessions:
            session_id = f"cs_fake_{len(self.sessions) + 1}"
            self.sessions[key] = CheckoutLink(
                session_id=session_id,
                url=f"{self._base_url}/{session_id}",
                expires_at=request.expires_at,
            )
        return self.sessions[key]

    def sign(self, body: bytes, at: datetime) -> str:
        return stripe_signature(self.secret, body, at)

    def decode_webhook(self, body: bytes, signature: str, now: datetime) -> PaymentEvent:
        self._verify(body, signature, now)
        try:
            event = msgspec.json.decode(body, type=_Event)
        except (msgspec.DecodeError, UnicodeDecodeError) as error:
            raise MalformedEvent(str(error)) from error
        return _to_payment_event(event)

    def _verify(self, body: bytes, header: str, now: datetime) -> None:
        pairs = [part.split("=", 1) for part in header.split(",") if "=" in part]
        stamps = [value.strip() for key, value in pairs if key.strip() == "t"]
        signatures = [value.strip() for key, value in pairs if key.strip() == "v1"]
        if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
            raise InvalidSignature("unreadable signature header")
        signed = stamps[0].encode() + b"." + body
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            raise InvalidSignature("no signature matches")
        if int(stamps[0]) < now.timestamp() - self._tolerance.total_seconds():
            raise InvalidSignature("timestamp outside the tolerance zone")


def _to_payment_event(event: _Event) -> PaymentEvent:
    session = event.data.object
    if event.type in PAID_TYPES and session.payment_status == "paid":
        kind = "paid"
    elif event.type == EXPIRED_TYPE:
        kind = "expired"
    else:
        kind = "ignored"
    return PaymentEvent(
        event_id=event.id,
        kind=kind,
        session_id=session.id,
        lead_ref=session.client_reference_id or (session.metadata or {}).get("lead_id"),
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
