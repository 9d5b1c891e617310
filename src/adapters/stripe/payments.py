"""``Payments`` on Stripe Checkout through the official SDK's async HTTPX client."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import stripe

from adapters.stripe.checkout import link_of, session_params, state_of
from adapters.stripe.errors import translate
from adapters.stripe.keys import Accounts, StripeKeys
from adapters.stripe.webhooks import decode, verify
from ports.clock import Clock
from ports.payments import CheckoutLink, CheckoutState, DepositRequest, PaymentEvent


class StripePayments:
    """Checkout Sessions for deposits, verified webhooks, session re-reads.

    ``default`` is the global account; ``studios`` the studios with their own
    (B-46). Every session is created with the request's deterministic
    ``Idempotency-Key`` (never the SDK's random one), so the SDK's network retries
    and a second ask from any process make one session.
    """

    def __init__(
        self,
        default: StripeKeys,
        *,
        clock: Clock,
        studios: Mapping[str, StripeKeys] | None = None,
        api_base: str = "https://api.stripe.com",
        timeout: float = 10.0,
        max_network_retries: int = 2,
    ) -> None:
        self._accounts = Accounts(default, dict(studios or {}))
        self._clock = clock
        self._http = stripe.HTTPXClient(timeout=timeout)
        self._client = stripe.StripeClient(
            default.api_key,
            base_addresses={"api": api_base},
            http_client=self._http,
            max_network_retries=max_network_retries,
        )

    async def create_checkout(self, request: DepositRequest) -> CheckoutLink:
        params = session_params(request, self._clock.now())
        options: stripe.RequestOptions = {
            "api_key": self._accounts.for_studio(request.studio).api_key,
            "idempotency_key": request.idempotency_key(),
        }
        try:
            session = await self._client.v1.checkout.sessions.create_async(
                params,  # type: ignore[arg-type]  # a plain dict of the documented fields
                options,
            )
        except stripe.StripeError as error:
            raise translate(error) from error
        return link_of(session.to_dict())

    def decode_webhook(self, body: bytes, signature: str, now: datetime) -> PaymentEvent:
        return decode(body, verify(self._accounts, body, signature, now))

    async def checkout_state(self, session_id: str, studio: str) -> CheckoutState:
        options: stripe.RequestOptions = {"api_key": self._accounts.for_studio(studio).api_key}
        try:
            session = await self._client.v1.checkout.sessions.retrieve_async(
                session_id, options=options
            )
        except stripe.StripeError as error:
            raise translate(error) from error
        return state_of(session.to_dict())

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]
