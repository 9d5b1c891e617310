"""Opening a deposit checkout through the Payments port (B-32, B-34)."""

from __future__ import annotations

from core.domain.deposit import Checkout, DepositDue
from core.domain.lead import Lead
from ports.payments import DepositRequest, Payments


async def open_checkout(
    payments: Payments, lead: Lead, due: DepositDue, public_url: str
) -> Checkout:
    """Idempotent per lead and attempt (the request's idempotency key): no second session."""
    base = public_url.rstrip("/")
    back = f"{base}/paid/{lead.studio}"  # where the client lands after checkout, paid or not
    link = await payments.create_checkout(
        DepositRequest(
            lead_id=lead.id,
            studio=lead.studio,
            amount=due.amount,
            currency=due.currency,
            description=due.description,
            attempt=due.attempt,
            expires_at=due.expires_at,
            success_url=back,
            cancel_url=back,
        )
    )
    return Checkout(
        amount=due.amount,
        currency=due.currency,
        attempt=due.attempt,
        session_id=link.session_id,
        url=link.url,
        expires_at=link.expires_at,
    )
