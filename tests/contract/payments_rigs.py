"""The payments implementations under contract, each with the provider side tests drive.

A rig is a ready ``Payments`` plus what a test does on the provider's side: pay a
session, count the sessions the provider made, take the provider down. ``fake`` is
``FakePayments``; ``stripe`` is ``StripePayments`` through the SDK against
``tests.fakes.stripe_api`` (a real HTTP server on 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from ports.payments import Payments

SIGNED_AT = datetime.fromtimestamp(1789041955, UTC)  # when the recorded vectors were signed


@dataclass(frozen=True)
class PaymentsSetup:
    """Global webhook secrets (two during a roll) and studios with their own secret."""

    secrets: tuple[str, ...] = ("whsec_test_secret",)
    studio_secrets: dict[str, str] = field(default_factory=lambda: {"studio-b": "whsec_studio_b"})
    now: datetime = SIGNED_AT
    max_network_retries: int = 0
    timeout: float = 2.0


class PaymentsRig(Protocol):
    payments: Payments

    def pay(self, session_id: str) -> None: ...

    def sessions_made(self) -> int: ...

    def take_down(self) -> None: ...


class FakeRig:
    def __init__(self, setup: PaymentsSetup) -> None:
        from adapters.memory import FakePayments

        first, *others = setup.secrets
        self.fake = FakePayments(
            secret=first,
            base_url="https://pay.example.test",
            also_accept=(*others, *setup.studio_secrets.values()),
        )
        self.payments: Payments = self.fake

    def pay(self, session_id: str) -> None:
        self.fake.complete(session_id)

    def sessions_made(self) -> int:
        return len(self.fake.sessions)

    def take_down(self) -> None:
        self.fake.fail = True


class StripeRig:
    API_KEY = "sk_test_global"
    STUDIO_KEYS: ClassVar[dict[str, str]] = {"studio-b": "sk_test_studio_b"}

    def __init__(self, setup: PaymentsSetup) -> None:
        from adapters.memory import ManualClock
        from adapters.stripe import StripeKeys, StripePayments
        from tests.fakes.stripe_api import FakeStripeApi

        self.api = FakeStripeApi({self.API_KEY, *self.STUDIO_KEYS.values()}, lambda: setup.now)
        self.api.start()
        self.clock = ManualClock(setup.now)
        studios = {
            studio: StripeKeys(self.STUDIO_KEYS.get(studio, self.API_KEY), (secret,))
            for studio, secret in setup.studio_secrets.items()
        }
        self.stripe = StripePayments(
            StripeKeys(self.API_KEY, setup.secrets),
            clock=self.clock,
            studios=studios,
            api_base=self.api.url,
            timeout=setup.timeout,
            max_network_retries=setup.max_network_retries,
        )
        self.payments: Payments = self.stripe

    def pay(self, session_id: str) -> None:
        self.api.complete(session_id)

    def sessions_made(self) -> int:
        return len(self.api.sessions)

    def take_down(self) -> None:
        self.api.outage = "500"

    async def close(self) -> None:
        await self.stripe.aclose()
        self.api.stop()


@asynccontextmanager
async def fake_payments(setup: PaymentsSetup) -> AsyncIterator[Any]:
    yield FakeRig(setup)


@asynccontextmanager
async def stripe_payments(setup: PaymentsSetup) -> AsyncIterator[Any]:
    rig = StripeRig(setup)
    try:
        yield rig
    finally:
        await rig.close()
