"""Which Stripe key and webhook secrets serve which studio (B-46)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StripeKeys:
    """One Stripe account: its secret API key and its endpoint's webhook secrets.

    Two webhook secrets are configured while a secret rolls (Stripe signs with
    both for up to 24 hours); either one verifies.
    """

    api_key: str
    webhook_secrets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Accounts:
    """The global account and the studios that have their own (each already resolved)."""

    default: StripeKeys
    studios: Mapping[str, StripeKeys] = field(default_factory=dict)

    def for_studio(self, studio: str) -> StripeKeys:
        return self.studios.get(studio, self.default)

    def owners(self, secret: str) -> frozenset[str] | None:
        """The studios a webhook secret belongs to; None when it is a global one."""
        if secret in self.default.webhook_secrets:
            return None
        return frozenset(s for s, keys in self.studios.items() if secret in keys.webhook_secrets)

    def secrets(self) -> tuple[str, ...]:
        """Every configured webhook secret, global first, without repeats."""
        out = list(self.default.webhook_secrets)
        for keys in self.studios.values():
            out += [s for s in keys.webhook_secrets if s not in out]
        return tuple(out)
