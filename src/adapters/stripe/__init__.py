"""Stripe Checkout deposits on the official ``stripe`` SDK (B-32 to B-34, B-42, B-46)."""

from adapters.stripe.keys import StripeKeys
from adapters.stripe.payments import StripePayments

__all__ = ["StripeKeys", "StripePayments"]
