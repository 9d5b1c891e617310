"""The SDK's errors as the port's: try again later, or never."""

from __future__ import annotations

import stripe

from ports.payments import PaymentRefused, PaymentsError, PaymentsUnavailable


def translate(error: stripe.StripeError) -> PaymentsError:
    """Connection, timeout, 409, 429 and 5xx: unavailable; any other 4xx: refused."""
    status = error.http_status
    said = error.user_message or str(error)
    param = getattr(error, "param", None)
    if param:
        said += f" (param {param})"
    what = f"stripe: {type(error).__name__} ({status or 'no answer'}): {said}"
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError):
        return PaymentsUnavailable(what)
    if status is None or status >= 500 or status in (409, 429):
        return PaymentsUnavailable(what)
    return PaymentRefused(what)
