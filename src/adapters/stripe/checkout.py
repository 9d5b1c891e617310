"""A deposit request as Checkout Session parameters, and a session as the port's types."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ports.payments import CheckoutLink, CheckoutState, DepositRequest

# Stripe's own window for `expires_at`: 30 minutes to 24 hours after creation. A minute
# of margin on each side absorbs the clock difference between us and Stripe.
EARLIEST = timedelta(minutes=31)
LATEST = timedelta(hours=23, minutes=59)


def expiry(wanted: datetime, now: datetime) -> datetime:
    """``wanted`` moved into Stripe's window after ``now`` (whole seconds)."""
    clamped = min(max(wanted, now + EARLIEST), now + LATEST)
    return datetime.fromtimestamp(int(clamped.timestamp()), UTC)


def session_params(request: DepositRequest, now: datetime) -> dict[str, Any]:
    """``POST /v1/checkout/sessions`` for one deposit, in payment mode (B-32)."""
    tags = {"lead_id": request.lead_id, "studio": request.studio}
    return {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": request.currency.lower(),
                    "unit_amount": request.amount,
                    "product_data": {"name": request.description},
                },
                "quantity": 1,
            }
        ],
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "client_reference_id": request.lead_id,
        "metadata": {**tags, "attempt": str(request.attempt)},
        "payment_intent_data": {"metadata": tags},
        "expires_at": int(expiry(request.expires_at, now).timestamp()),
    }


def link_of(session: Mapping[str, Any]) -> CheckoutLink:
    return CheckoutLink(
        session_id=session["id"],
        url=session["url"],
        expires_at=datetime.fromtimestamp(session["expires_at"], UTC),
    )


def state_of(session: Mapping[str, Any]) -> CheckoutState:
    metadata = session.get("metadata") or {}
    currency = session.get("currency")
    return CheckoutState(
        session_id=session["id"],
        status=session["status"],
        paid=session.get("payment_status") == "paid",
        lead_ref=session.get("client_reference_id") or metadata.get("lead_id"),
        amount=session.get("amount_total"),
        currency=currency.upper() if currency else None,
    )
