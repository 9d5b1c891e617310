"""``/webhooks/meta``: the verification handshake and the signed webhook (PROVIDERS.md A1-A4)."""

from __future__ import annotations

import logging
import time
from typing import Any

from litestar import Controller, Request, Response, get, post, route
from litestar.datastructures import State
from litestar.enums import HttpMethod, MediaType
from litestar.openapi import ResponseSpec
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_204_NO_CONTENT,
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
)

from adapters.meta import MalformedPayload, decode_webhook, handshake

from .errors import error_response
from .responses import TOO_LARGE, error_spec
from .webhook import PROVIDER, MetaWebhook, record_or_503

log = logging.getLogger("inkbook.webhooks.meta")

SIGNATURE_HEADER = "x-hub-signature-256"


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(None, generate_examples=False, description=description)


class MetaWebhookController(Controller):
    path = "/webhooks/meta"
    tags = ("webhooks",)

    # Litestar's own OPTIONS answer for this path lists only the first handler's method.
    @route(http_method=HttpMethod.OPTIONS, include_in_schema=False, sync_to_thread=False)
    def allowed(self) -> Response[None]:
        """What the route allows: the handshake (GET) and the webhook (POST)."""
        return Response(
            None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": "GET, OPTIONS, POST"}
        )

    @get(
        media_type=MediaType.TEXT,
        sync_to_thread=False,
        responses={403: _error("wrong or missing hub.verify_token")},
    )
    def verify(self, request: Request[Any, Any, Any], state: State) -> Response[str]:
        """Meta's verification handshake: echo ``hub.challenge`` for the right verify token."""
        challenge = handshake(request.query_params, state.settings.meta_verify_token)
        if challenge is None:
            log.warning("meta verification handshake refused")
            return Response("Forbidden", status_code=HTTP_403_FORBIDDEN, media_type=MediaType.TEXT)
        return Response(
            challenge,
            status_code=HTTP_200_OK,
            media_type=MediaType.TEXT,
            headers={"X-Content-Type-Options": "nosniff"},
        )

    @post(
        status_code=HTTP_200_OK,
        responses={
            400: error_spec("not a WhatsApp webhook body (bad JSON, bad UTF-8, wrong shape)"),
            401: error_spec("missing or wrong X-Hub-Signature-256"),
            413: TOO_LARGE,
            503: error_spec("not recorded (database unavailable): Meta retries"),
        },
    )
    async def receive(self, request: Request[Any, Any, Any], state: State) -> Response[Any]:
        """Verify the signature of the raw body, decode it, record every update, then 200."""
        started = time.perf_counter()
        metrics = state.metrics
        hook: MetaWebhook = state.meta_webhook
        body = await request.body()
        refusal = hook.refusal(body, request.headers.get(SIGNATURE_HEADER))
        if refusal is not None:
            await hook.refuse(refusal)
            metrics.webhooks.labels(PROVIDER, "unauthorized").inc()
            return error_response(HTTP_401_UNAUTHORIZED, "invalid signature")
        try:
            batch = decode_webhook(body)
        except MalformedPayload as exc:
            metrics.webhooks.labels(PROVIDER, "malformed").inc()
            log.warning("meta webhook malformed: %s", str(exc)[:200])
            return error_response(HTTP_400_BAD_REQUEST, str(exc)[:500])
        ack = await record_or_503(hook, batch, metrics, started)
        if isinstance(ack, Response):
            return ack  # 503: not recorded, Meta retries
        return Response(ack, status_code=HTTP_200_OK)
