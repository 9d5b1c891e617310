"""Payments contract: idempotent checkout (B-32), verified webhooks (B-33, B-34, B-42).

The recorded Stripe events in ``payloads/`` are signed with ``whsec_test_secret``
at ``t=1789041955``; every implementation is built with that secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

from ports.payments import (
    DepositRequest,
    InvalidSignature,
    MalformedEvent,
    Payments,
    PaymentsError,
)
from tests.contract.payments_rigs import PaymentsRig

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "whsec_test_secret"
SIGNED_AT = datetime.fromtimestamp(1789041955, UTC)
COMPLETED = (PAYLOADS / "stripe_checkout_completed.json").read_bytes()
EXPIRED = (PAYLOADS / "stripe_checkout_expired.json").read_bytes()
COMPLETED_SIGNATURE = (
    "t=1789041955,v1=f77e2366c2d86ba2ae60d5d7cea77219606c454bc43fb8ef8ca30cbe79cf6007"
)
EXPIRED_SIGNATURE = (
    "t=1789041955,v1=44d6bb5827e2b0dab87ebac16db5af053c67cd19606f8342f8d4db75a7fa8d1b"
)
SESSION = "cs_test_a1Kq7vRzP3xN9mB2cD4eF6gH8jL0nQ2sT4uW6yZ8bC0dE2fG4hJ6kM8pR0"


def sign(body: bytes, at: datetime, secret: str = SECRET) -> str:
    stamp = int(at.timestamp())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def event_body(event_type: str, payment_status: str = "paid") -> bytes:
    event = json.loads(COMPLETED)
    event["id"] = "evt_contract_1"
    event["type"] = event_type
    event["data"]["object"]["payment_status"] = payment_status
    return json.dumps(event).encode()


def request(attempt: int = 1, lead_id: str = "lead-1") -> DepositRequest:
    return DepositRequest(
        lead_id=lead_id,
        studio="studio-a",
        amount=5000,
        currency="GBP",
        description="Deposit for your tattoo",
        attempt=attempt,
        expires_at=SIGNED_AT + timedelta(hours=23),
        success_url="https://ink.example-studio.com/deposit/thanks",
        cancel_url="https://ink.example-studio.com/deposit/cancelled",
    )


async def test_checkout_is_idempotent_per_lead_and_attempt_B32(payments_rig: PaymentsRig) -> None:
    payments = payments_rig.payments
    first = await payments.create_checkout(request())
    again = await payments.create_checkout(request())
    assert again == first and payments_rig.sessions_made() == 1  # one session at the provider
    retry = await payments.create_checkout(request(attempt=2))
    other = await payments.create_checkout(request(lead_id="lead-2"))
    assert len({first.session_id, retry.session_id, other.session_id}) == 3
    assert payments_rig.sessions_made() == 3
    assert first.url.startswith("https://")
    assert first.expires_at == request().expires_at


def test_a_recorded_paid_event_decodes_B33(payments: Payments) -> None:
    event = payments.decode_webhook(COMPLETED, COMPLETED_SIGNATURE, SIGNED_AT)
    assert event.kind == "paid"
    assert event.event_id == "evt_1S8kQ2B7WZ01zgkWr3Yt9XcA"
    assert (event.session_id, event.lead_ref) == (SESSION, "lead_42")
    assert (event.amount, event.currency) == (4000, "EUR")


def test_a_recorded_expired_event_decodes_B34(payments: Payments) -> None:
    event = payments.decode_webhook(EXPIRED, EXPIRED_SIGNATURE, SIGNED_AT + timedelta(minutes=1))
    assert (event.kind, event.session_id, event.lead_ref) == ("expired", SESSION, "lead_42")


def test_anything_else_is_ignored(payments: Payments) -> None:
    for body in (event_body("checkout.session.completed", "unpaid"), event_body("charge.refunded")):
        event = payments.decode_webhook(body, sign(body, SIGNED_AT), SIGNED_AT)
        assert (event.event_id, event.kind) == ("evt_contract_1", "ignored")


@pytest.mark.parametrize(
    "body, header",
    [
        (COMPLETED, COMPLETED_SIGNATURE.replace("v1=f7", "v1=f8")),
        (COMPLETED + b" ", COMPLETED_SIGNATURE),
        (COMPLETED, sign(COMPLETED, SIGNED_AT, secret="whsec_other")),
        (COMPLETED, ""),
        (COMPLETED, "garbage"),
        (COMPLETED, "t=1789041955"),
        (COMPLETED, COMPLETED_SIGNATURE.replace("v1=", "v0=")),
        (COMPLETED, sign(COMPLETED, SIGNED_AT - timedelta(minutes=6))),
    ],
    ids=["wrong", "body-changed", "other-secret", "empty", "garbage", "no-v1", "v0", "too-old"],
)
def test_a_bad_signature_is_refused_before_parsing_B42(
    payments: Payments, body: bytes, header: str
) -> None:
    with pytest.raises(InvalidSignature):
        payments.decode_webhook(body, header, SIGNED_AT)


def test_any_matching_v1_is_accepted_while_secrets_roll(payments: Payments) -> None:
    header = f"t=1789041955,v1={'0' * 64},{COMPLETED_SIGNATURE.split(',')[1]},v0=abc"
    assert payments.decode_webhook(COMPLETED, header, SIGNED_AT).kind == "paid"


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"id": "evt_1"}', b"\xff\xfe", msgspec.json.encode([1, 2])]
)
def test_a_signed_body_that_is_no_event_is_malformed_B45(payments: Payments, body: bytes) -> None:
    with pytest.raises(MalformedEvent):
        payments.decode_webhook(body, sign(body, SIGNED_AT), SIGNED_AT)
    with pytest.raises(PaymentsError):  # every failure is a PaymentsError
        payments.decode_webhook(body, "bad", SIGNED_AT)
