"""``Stripe-Signature`` verified with the SDK over the raw body, then decoded (B-33, B-42).

The SDK checks the signature against each configured secret; the 300-second
tolerance is measured here against the caller's ``now`` (the Clock port), not
the SDK's own clock. Only old timestamps are refused, as the SDK does.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

import msgspec
import stripe

from adapters.stripe.keys import Accounts
from ports.payments import InvalidSignature, MalformedEvent, PaymentEvent

TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE  # 300, Stripe's documented default
PAID_TYPES = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})
EXPIRED_TYPE = "checkout.session.expired"
SESSION_EVENTS = "checkout.session."


class _Session(msgspec.Struct, kw_only=True):
    id: str
    payment_status: str | None = None
    client_reference_id: str | None = None
    amount_total: int | None = None
    currency: str | None = None
    metadata: dict[str, str] | None = None


class _Data(msgspec.Struct):
    object: dict[str, Any]


class _Event(msgspec.Struct, kw_only=True):
    id: str
    type: str
    data: _Data


def verify(accounts: Accounts, body: bytes, header: str, now: datetime) -> frozenset[str] | None:
    """The studios whose secret signed ``body`` (None: a global secret); InvalidSignature."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _verify_undecodable(accounts, body, header)
    matched = None
    for secret in accounts.secrets():
        try:
            stripe.WebhookSignature.verify_header(text, header, secret, tolerance=None)
        except stripe.SignatureVerificationError:
            continue
        matched = secret
        break
    if matched is None:
        raise InvalidSignature("Stripe-Signature: no signature matches a configured secret")
    if _timestamp(header) < now.timestamp() - TOLERANCE_SECONDS:
        raise InvalidSignature("Stripe-Signature: timestamp outside the tolerance zone")
    return accounts.owners(matched)


def _verify_undecodable(accounts: Accounts, body: bytes, header: str) -> frozenset[str] | None:
    """Stripe only sends UTF-8, which the SDK needs; a signed other body is malformed."""
    try:
        stamp = str(_timestamp(header))
    except ValueError:
        raise InvalidSignature("Stripe-Signature: unreadable header") from None
    signed = stamp.encode() + b"." + body
    given = [v for k, _, v in (p.partition("=") for p in header.split(",")) if k == "v1"]
    for secret in accounts.secrets():
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, v) for v in given):
            raise MalformedEvent("the signed body is not UTF-8")
    raise InvalidSignature("Stripe-Signature: no signature matches a configured secret")


def _timestamp(header: str) -> int:
    stamps = [v for k, _, v in (p.partition("=") for p in header.split(",")) if k == "t"]
    if not stamps:
        raise ValueError("no timestamp")
    return int(stamps[0])


def decode(body: bytes, signed_by: frozenset[str] | None) -> PaymentEvent:
    """A verified body as a PaymentEvent; MalformedEvent when it is not an event."""
    try:
        event = msgspec.json.decode(body, type=_Event)
        session = (
            msgspec.convert(event.data.object, _Session)
            if event.type.startswith(SESSION_EVENTS)
            else None
        )
    except msgspec.ValidationError as error:
        raise MalformedEvent(f"not a Stripe event: {error}") from error
    except msgspec.DecodeError as error:
        raise MalformedEvent(f"not JSON: {error}") from error
    if session is None:
        return PaymentEvent(event_id=event.id, kind="ignored", type=event.type)
    metadata = session.metadata or {}
    studio = metadata.get("studio")
    if signed_by is not None:  # a studio's own secret vouches for that studio only
        if studio is None and len(signed_by) == 1:
            studio = next(iter(signed_by))
        elif studio is not None and studio not in signed_by:
            raise InvalidSignature(f"signed with another studio's secret than {studio!r}'s")
    return PaymentEvent(
        event_id=event.id,
        kind=_kind(event.type, session.payment_status),
        type=event.type,
        session_id=session.id,
        lead_ref=session.client_reference_id or metadata.get("lead_id"),
        studio=studio,
        amount=session.amount_total,
        currency=session.currency.upper() if session.currency else None,
    )


def _kind(event_type: str, payment_status: str | None) -> str:
    if event_type in PAID_TYPES and payment_status == "paid":
        return "paid"
    if event_type == EXPIRED_TYPE:
        return "expired"
    return "ignored"
