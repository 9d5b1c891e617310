"""``/webhooks/twilio`` and ``/webhooks/twilio/status`` (PROVIDERS.md C, B-42, issue 13).

Twilio posts form fields signed with ``X-Twilio-Signature`` over the *public* URL it
called: ``INKBOOK_PUBLIC_URL`` plus the path and query, never the URL a proxy hands
on. A bad signature is a 403 and a system event, nothing stored. Once everything is
durably recorded the answer is 200 with empty TwiML (no reply through TwiML: replies
go through the outbox); 503 with ``Retry-After`` while the database is down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
)

from adapters.twilio import (
    Batch,
    MalformedPayload,
    decode_message,
    decode_status,
    parse_form,
    verify_signature,
)

from .errors import error_response
from .webhook import MetaWebhook, record_or_503

log = logging.getLogger("inkbook.webhooks.twilio")

SIGNATURE_HEADER = "x-twilio-signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
TWIML = "text/xml"

Decoder = Callable[[Mapping[str, str], datetime], Batch]


class TwilioWebhook(MetaWebhook):
    """Twilio's authenticity check; recording is the same as Meta's, labelled twilio."""

    provider = "twilio"

    def twilio_refusal(self, url: str, form: Mapping[str, str], header: str | None) -> str | None:
        """Why the delivery must be refused (403), or None when it is authentic."""
        token = self._container.settings().twilio_auth_token
        if not token:  # console mode has the development token: never unsigned
            return "no_auth_token"
        if not header:
            return "missing_signature"
        if not verify_signature(token, url, form, header):
            return "bad_signature"
        return None

    def now(self) -> datetime:
        return self._now()


def public_url(request: Request[Any, Any, Any], base: str) -> str:
    """The URL Twilio signed: the configured public base, this path and query."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    return base.rstrip("/") + request.url.path + (f"?{query}" if query else "")


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(None, generate_examples=False, description=description)


RESPONSES = {
    400: _error("not Twilio form data (bad UTF-8, no MessageSid or From)"),
    403: _error("missing or wrong X-Twilio-Signature"),
    503: _error("not recorded (database unavailable): Twilio retries"),
}


class TwilioWebhookController(Controller):
    path = "/webhooks/twilio"
    tags = ("webhooks",)

    @post(status_code=HTTP_200_OK, responses=RESPONSES)
    async def receive(self, request: Request[Any, Any, Any], state: State) -> Response[Any]:
        """A client's WhatsApp message through Twilio: verify, decode, record, empty TwiML."""
        return await _handle(request, state, decode_message)

    @post("/status", status_code=HTTP_200_OK, responses=RESPONSES)
    async def status(self, request: Request[Any, Any, Any], state: State) -> Response[Any]:
        """Twilio's delivery status callback (sent, delivered, read, failed, undelivered)."""
        return await _handle(request, state, decode_status)


async def _handle(request: Request[Any, Any, Any], state: State, decode: Decoder) -> Response[Any]:
    started = time.perf_counter()
    metrics = state.metrics
    hook: TwilioWebhook = state.twilio_webhook
    provider = hook.provider
    try:
        form = parse_form(await request.body())
    except MalformedPayload as exc:
        metrics.webhooks.labels(provider, "malformed").inc()
        return error_response(HTTP_400_BAD_REQUEST, str(exc)[:500])
    url = public_url(request, state.settings.public_url)
    refusal = hook.twilio_refusal(url, form, request.headers.get(SIGNATURE_HEADER))
    if refusal is not None:
        await hook.refuse(refusal)
        metrics.webhooks.labels(provider, "unauthorized").inc()
        return error_response(HTTP_403_FORBIDDEN, "invalid signature")
    try:
        batch = decode(form, hook.now())
    except MalformedPayload as exc:
        metrics.webhooks.labels(provider, "malformed").inc()
        log.warning("twilio webhook malformed: %s", str(exc)[:200])
        return error_response(HTTP_400_BAD_REQUEST, str(exc)[:500])
    recorded = await record_or_503(hook, batch, metrics, started)  # same shape as Meta's Batch
    if isinstance(recorded, Response):
        return recorded  # 503: not recorded, Twilio retries
    return Response(EMPTY_TWIML, status_code=HTTP_200_OK, media_type=TWIML)
