"""Fake deposit checkout with Stripe-style signed webhooks (B-32 to B-34, B-42).

The default of ``inkbook serve`` (``INKBOOK_PAYMENTS=fake``): a checkout's link is
the app's own test page ``{base_url}/pay/{session_id}``, whose POST feeds
:meth:`FakePayments.complete`'s event to the very use case a Stripe webhook uses.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec

from adapters.memory.payments_wire import (
    COMPLETED_TYPE,
    EXPIRED_TYPE,
    Event,
    stripe_signature,
    to_payment_event,
)
from ports.payments import (
    CheckoutLink,
    CheckoutState,
    DepositRequest,
    InvalidSignature,
    MalformedEvent,
    PaymentEvent,
    PaymentsUnavailable,
)

_SESSION_ID = re.compile(r"cs_fake_(?P<lead>[^_]+)_(?P<attempt>\d+)")


def lead_of(session_id: str) -> str | None:
    """The lead of a fake session id ``cs_fake_{lead_id}_{attempt}``, else None."""
    match = _SESSION_ID.fullmatch(session_id)
    return match["lead"] if match else None


class FakePayments:
    """``Payments`` port without a network.

    Session ids are deterministic and stateless (``cs_fake_{lead_id}_{attempt}``),
    so any process can read them back with :func:`lead_of`. Webhooks are verified
    exactly like Stripe's (HMAC over ``"<t>.<body>"``, any ``v1``, constant time,
    old timestamps refused) against ``secret`` and any ``also_accept`` secret (a
    roll, per-studio secrets), so a test signs bodies with :meth:`sign`. Set
    ``fail = True`` to make checkout creation raise :class:`PaymentsUnavailable`;
    ``requests`` lists what was asked.
    """

    def __init__(
        self,
        secret: str = "whsec_test_secret",
        base_url: str = "http://127.0.0.1:8000",
        tolerance: timedelta = timedelta(minutes=5),
        also_accept: Sequence[str] = (),
    ) -> None:
        self.secret = secret
        self.secrets = (secret, *also_accept)
        self.fail = False
        self.requests: list[DepositRequest] = []
        self.sessions: dict[str, CheckoutLink] = {}  # idempotency key -> link
        self._asked: dict[str, DepositRequest] = {}  # session id -> its request
        self._states: dict[str, str] = {}  # session id -> "complete" / "expired"
        self._base_url = base_url.rstrip("/")
        self._tolerance = tolerance

    async def create_checkout(self, request: DepositRequest) -> CheckoutLink:
        if self.fail:
            raise PaymentsUnavailable("fake payments switched off")
        self.requests.append(request)
        key = request.idempotency_key()
        if key not in self.sessions:
            session_id = f"cs_fake_{request.lead_id}_{request.attempt}"
            self._asked[session_id] = request
            self.sessions[key] = CheckoutLink(
                session_id=session_id,
                url=f"{self._base_url}/pay/{session_id}",
                expires_at=request.expires_at,
            )
        return self.sessions[key]

    def complete(self, session_id: str) -> PaymentEvent:
        """Pay ``session_id`` (in this process): the event a Stripe webhook decodes to."""
        self._states[session_id] = "complete"
        return self._event(session_id, "paid", COMPLETED_TYPE)

    def expire(self, session_id: str) -> PaymentEvent:
        """Expire ``session_id`` (in this process), as ``checkout.session.expired`` would."""
        self._states[session_id] = "expired"
        return self._event(session_id, "expired", EXPIRED_TYPE)

    async def checkout_state(self, session_id: str, studio: str) -> CheckoutState:
        status = self._states.get(session_id, "open")
        asked = self._asked.get(session_id)
        return CheckoutState(
            session_id=session_id,
            status=status,
            paid=status == "complete",
            lead_ref=lead_of(session_id),
            amount=asked.amount if asked else None,
            currency=asked.currency if asked else None,
        )

    def _event(self, session_id: str, kind: str, event_type: str) -> PaymentEvent:
        asked = self._asked.get(session_id)
        return PaymentEvent(
            event_id=f"evt_fake_{session_id}",
            kind=kind,
            type=event_type,
            session_id=session_id,
            lead_ref=lead_of(session_id),
            studio=asked.studio if asked else None,
            amount=asked.amount if asked else None,
            currency=asked.currency if asked else None,
        )

    def sign(self, body: bytes, at: datetime) -> str:
        return stripe_signature(self.secret, body, at)

    def decode_webhook(self, body: bytes, signature: str, now: datetime) -> PaymentEvent:
        self._verify(body, signature, now)
        try:
            event = msgspec.json.decode(body, type=Event)
        except (msgspec.DecodeError, UnicodeDecodeError) as error:
            raise MalformedEvent(str(error)) from error
        return to_payment_event(event)

    def _verify(self, body: bytes, header: str, now: datetime) -> None:
        pairs = [part.split("=", 1) for part in header.split(",") if "=" in part]
        stamps = [value.strip() for key, value in pairs if key.strip() == "t"]
        signatures = [value.strip() for key, value in pairs if key.strip() == "v1"]
        if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
            raise InvalidSignature("unreadable signature header")
        signed = stamps[0].encode() + b"." + body
        expected = [
            hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in self.secrets
        ]
        if not any(hmac.compare_digest(e, c) for e in expected for c in signatures):
            raise InvalidSignature("no signature matches")
        if int(stamps[0]) < now.timestamp() - self._tolerance.total_seconds():
            raise InvalidSignature("timestamp outside the tolerance zone")
