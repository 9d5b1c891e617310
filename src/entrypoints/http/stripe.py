"""``POST /webhooks/stripe``: the signed raw body, then the payment use case (B-33, B-34, B-42).

A bad or stale ``Stripe-Signature`` answers 401 and stores nothing but one
rate-limited ``signature_failed`` event; a signed body that is no event, 400;
a provider that cannot be asked again right now, 503 (Stripe retries);
everything else, 200 once the effects are committed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from core.domain.events import Event
from core.usecases.payments import PaymentOutcome
from ports.payments import InvalidSignature, MalformedEvent, PaymentsError

from .errors import error_response
from .webhook import REFUSAL_EVENT_INTERVAL

log = logging.getLogger("inkbook.webhooks.stripe")

PROVIDER = "stripe"
SIGNATURE_HEADER = "stripe-signature"
RETRY_AFTER = "30"


class SignatureRefusals:
    """At most one ``signature_failed`` event per interval: forged posts are not writes."""

    def __init__(self, container: Any, interval: timedelta = REFUSAL_EVENT_INTERVAL) -> None:
        self._container = container
        self.interval = interval
        self._last: datetime | None = None
        self._unrecorded = 0

    async def refuse(self, reason: str) -> None:
        log.warning("stripe webhook refused: %s", reason)
        moment: datetime = self._container.clock().now()
        if self._last is not None and abs(moment - self._last) < self.interval:
            self._unrecorded += 1
            return
        self._last = moment
        detail: dict[str, Any] = {"provider": PROVIDER, "reason": reason[:200]}
        if self._unrecorded:
            detail["unrecorded_before"], self._unrecorded = self._unrecorded, 0
        event = Event(kind="signature_failed", at=moment, level="warning", detail=detail)
        try:
            async with self._container.store().uow() as uow:
                await uow.record_event(event)
                await uow.commit()
        except Exception as exc:  # the 401 stands even if the database is down
            log.error("could not record signature_failed: %s", repr(exc)[:300])


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(None, generate_examples=False, description=description)


class StripeWebhookController(Controller):
    path = "/webhooks/stripe"
    tags = ("webhooks",)

    @post(
        status_code=HTTP_200_OK,
        responses={
            400: _error("signed, but not a Stripe event"),
            401: _error("missing, wrong or stale Stripe-Signature"),
            413: _error("body over the configured limit"),
            503: _error("not processed (provider or database unavailable): Stripe retries"),
        },
    )
    async def receive(self, request: Request[Any, Any, Any], state: State) -> Response[Any]:
        """Verify the raw body, then record the event and its effects in one commit."""
        container = state.container
        metrics = state.metrics
        body = await request.body()
        header = request.headers.get(SIGNATURE_HEADER, "")
        try:
            event = container.payments().decode_webhook(body, header, container.clock().now())
        except InvalidSignature as exc:
            metrics.signature_failures.labels(PROVIDER).inc()
            metrics.webhooks.labels(PROVIDER, "unauthorized").inc()
            await state.stripe_refusals.refuse(str(exc) or "invalid signature")
            return error_response(HTTP_401_UNAUTHORIZED, "invalid signature")
        except MalformedEvent as exc:
            metrics.webhooks.labels(PROVIDER, "malformed").inc()
            return error_response(HTTP_400_BAD_REQUEST, f"not a Stripe event: {exc}"[:300])
        try:
            outcome: PaymentOutcome = await container.handle_payment()(event, actor=PROVIDER)
        except (PaymentsError, OSError) as exc:
            metrics.webhooks.labels(PROVIDER, "unavailable").inc()
            log.warning("stripe event %s not processed: %s", event.event_id, repr(exc)[:300])
            return error_response(
                HTTP_503_SERVICE_UNAVAILABLE,
                "temporarily unavailable",
                headers={"Retry-After": RETRY_AFTER},
            )
        metrics.webhooks.labels(PROVIDER, "ok").inc()
        return Response(
            {"result": outcome.result, "status": outcome.status, "reason": outcome.reason},
            status_code=HTTP_200_OK,
        )
