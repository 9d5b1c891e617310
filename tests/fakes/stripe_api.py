"""A local fake of Stripe's HTTP API: Checkout Sessions with idempotent replay.

A real HTTP server on 127.0.0.1 (port 0, a thread) for ``StripePayments`` to talk
to through the SDK. It checks the bearer key (401) and the form parameters as Stripe
does (``stripe_checks``), answers 400 ``invalid_request_error`` bodies shaped like
Stripe's, and replays an ``Idempotency-Key``: same key and parameters -> the saved
response; same key, other parameters -> 400 ``idempotency_error`` (PROVIDERS.md B4).
Keys are per account (API key), as at Stripe. Tests complete or expire sessions and
get the signed webhook body Stripe would send; ``outage`` makes it answer 500, 429
or hang.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.http_server import Answer, LocalServer
from tests.fakes.stripe_checks import check_session

SESSIONS = "/v1/checkout/sessions"


def error_body(
    kind: str, message: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "message": message}
    if param:
        error["param"] = param
    if code:
        error["code"] = code
    return {"error": error}


def sign(body: bytes, secret: str, at: datetime) -> str:
    """The ``Stripe-Signature`` header Stripe would send with ``body``."""
    stamp = int(at.timestamp())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


class FakeStripeApi:
    def __init__(self, api_keys: set[str], now: Callable[[], datetime]) -> None:
        self.api_keys = set(api_keys)
        self.now = now
        self.outage: str | None = None  # None, "500", "429" or "hang"
        self.outage_left: int | None = None  # answers left before the outage ends; None: no end
        self.sessions: dict[str, dict[str, Any]] = {}
        self.created: list[dict[str, str]] = []  # the form of every session made
        self.idempotency_keys: list[str | None] = []  # as sent with each POST, outages too
        self._owner: dict[str, str] = {}  # session id -> API key
        self._saved: dict[tuple[str, str], tuple[str, Answer]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = LocalServer(self.answer)

    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> FakeStripeApi:
        self._server.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.stop()

    # What tests do on Stripe's side: pay or expire a session, get the webhook body.
    def complete(self, session_id: str) -> bytes:
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid", url=None)
        return self.event_body(session_id, "checkout.session.completed")

    def expire(self, session_id: str) -> bytes:
        self.sessions[session_id].update(status="expired", url=None)
        return self.event_body(session_id, "checkout.session.expired")

    def event_body(self, session_id: str, event_type: str) -> bytes:
        event = {
            "id": f"evt_fake_{next(self._ids)}",
            "object": "event",
            "api_version": "2025-09-30.clover",
            "created": int(self.now().timestamp()),
            "data": {"object": dict(self.sessions[session_id])},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
        return json.dumps(event).encode()

    # The HTTP side, called from the server's threads.
    def owner(self, session_id: str) -> str | None:
        """The API key (the account) that made a session."""
        return self._owner.get(session_id)

    def answer(self, method: str, path: str, headers: Any, body: bytes) -> Answer:
        if method == "POST":
            self.idempotency_keys.append(headers.get("Idempotency-Key"))
        outage = self.outage
        if self.outage_left is not None:
            with self._lock:
                self.outage_left -= 1
                if self.outage_left <= 0:
                    self.outage = self.outage_left = None
        if outage == "hang":
            self._release.wait(30)
        if outage in ("500", "hang"):
            return 500, error_body("api_error", "Something went wrong on Stripe's end.")
        if outage == "429":
            return 429, error_body("invalid_request_error", "Too many requests", code="rate_limit")
        key = headers.get("Authorization", "").removeprefix("Bearer ")
        if key not in self.api_keys:
            return 401, error_body("invalid_request_error", f"Invalid API Key provided: {key[:8]}")
        with self._lock:
            if method == "POST" and path == SESSIONS:
                return self._create(key, headers.get("Idempotency-Key"), body)
            if method == "GET" and path.startswith(SESSIONS + "/"):
                return self._retrieve(key, path.removeprefix(SESSIONS + "/"))
        return 404, error_body("invalid_request_error", f"Unrecognized request URL ({path})")

    def _create(self, api_key: str, idempotency_key: str | None, body: bytes) -> Answer:
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        fingerprint = json.dumps(sorted(form.items()))
        if idempotency_key is not None and (api_key, idempotency_key) in self._saved:
            saved_fingerprint, saved = self._saved[api_key, idempotency_key]
            if saved_fingerprint == fingerprint:
                return saved
            message = (
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{idempotency_key}' if you "
                "meant to execute a different request."
            )
            return 400, error_body("idempotency_error", message)
        problem = check_session(form, self.now())
        if problem:  # refused before execution: nothing saved under the key
            param, code, message = problem
            return 400, error_body("invalid_request_error", message, param, code)
        answer = 200, self._new_session(api_key, form)
        if idempotency_key is not None:
            self._saved[api_key, idempotency_key] = fingerprint, answer
        return answer

    def _new_session(self, api_key: str, form: dict[str, str]) -> dict[str, Any]:
        self.created.append(form)
        session_id = f"cs_test_fake{next(self._ids):04d}"
        price = "line_items[0][price_data]"
        amount = int(form[f"{price}[unit_amount]"]) * int(form["line_items[0][quantity]"])
        metadata = {n[9:-1]: v for n, v in form.items() if n.startswith("metadata[")}
        created = int(self.now().timestamp())
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": form["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "amount_subtotal": amount,
            "amount_total": amount,
            "currency": form[f"{price}[currency]"],
            "client_reference_id": form.get("client_reference_id"),
            "metadata": metadata,
            "payment_intent": None,
            "created": created,
            "expires_at": int(form.get("expires_at", created + 24 * 3600)),
            "success_url": form["success_url"],
            "cancel_url": form.get("cancel_url"),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "livemode": False,
        }
        self.sessions[session_id] = session
        self._owner[session_id] = api_key
        return dict(session)

    def _retrieve(self, api_key: str, session_id: str) -> Answer:
        if self._owner.get(session_id) != api_key:  # another account's session is unknown
            message = f"No such checkout.session: '{session_id}'"
            return 404, error_body("invalid_request_error", message, "session", "resource_missing")
        return 200, dict(self.sessions[session_id])
