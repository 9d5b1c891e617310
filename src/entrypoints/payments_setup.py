"""The payments adapter chosen by INKBOOK_PAYMENTS, with each studio's Stripe account (B-46).

A profile may name the environment variables holding its studio's own key and
webhook secret (``stripe: {api_key_env, webhook_secret_env}``); they are read once,
here, and an unset one stops startup with one line naming it.
"""

from __future__ import annotations

from typing import Any

from core.domain.studios import Studios
from entrypoints.settings import Settings, SettingsError, check_stripe_key, check_webhook_secrets
from ports.clock import Clock

FAKE_WEBHOOK_SECRET = "whsec_test_secret"  # fake payments without a configured secret


def fake_payments(settings: Settings) -> Any:
    from adapters.memory import FakePayments

    first, *others = settings.stripe_webhook_secrets or (FAKE_WEBHOOK_SECRET,)
    return FakePayments(secret=first, base_url=settings.public_url, also_accept=others)


def stripe_payments(settings: Settings, studios: Studios, clock: Clock) -> Any:
    from adapters.stripe import StripeKeys, StripePayments

    default = StripeKeys(settings.stripe_api_key or "", settings.stripe_webhook_secrets)
    own: dict[str, StripeKeys] = {}
    for studio in studios:
        refs = studio.stripe
        if refs.api_key_env is None and refs.webhook_secret_env is None:
            continue
        key = _named(settings, refs.api_key_env, studio.id, "api_key_env")
        secret = _named(settings, refs.webhook_secret_env, studio.id, "webhook_secret_env")
        own[studio.id] = StripeKeys(
            api_key=check_stripe_key(str(refs.api_key_env), key) if key else default.api_key,
            webhook_secrets=(
                check_webhook_secrets(str(refs.webhook_secret_env), secret)
                if secret
                else default.webhook_secrets
            ),
        )
    return StripePayments(
        default,
        clock=clock,
        studios=own,
        api_base=settings.stripe_api_base,
        timeout=settings.stripe_timeout.total_seconds(),
        max_network_retries=settings.stripe_max_network_retries,
    )


def _named(settings: Settings, name: str | None, studio: str, field: str) -> str | None:
    if name is None:
        return None
    value = (settings.environment.get(name) or "").strip()
    if not value:
        raise SettingsError(f"{name}: not set (studio {studio!r} names it in stripe.{field})")
    return value
