"""Payments contract, continued: re-reading sessions, outages, secret rolls, per-studio secrets
(B-32, B-33, B-42, B-46). Runs on every registered implementation (``payments_rigs``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ports.payments import InvalidSignature, Payments, PaymentsUnavailable
from tests.contract.payments_rigs import PaymentsRig, PaymentsSetup
from tests.contract.test_payments_contract import (
    COMPLETED,
    COMPLETED_SIGNATURE,
    SIGNED_AT,
    request,
    sign,
)

OpenRig = Callable[[PaymentsSetup], Any]


def studio_body(studio: str) -> bytes:
    event = json.loads(COMPLETED)
    event["id"] = f"evt_for_{studio}"
    event["data"]["object"]["metadata"]["studio"] = studio
    return json.dumps(event).encode()


async def test_B33_checkout_state_rereads_the_session_after_payment(
    payments_rig: PaymentsRig,
) -> None:
    payments = payments_rig.payments
    link = await payments.create_checkout(request())
    before = await payments.checkout_state(link.session_id, "studio-a")
    assert (before.session_id, before.status, before.paid) == (link.session_id, "open", False)
    assert before.lead_ref == "lead-1"
    payments_rig.pay(link.session_id)
    after = await payments.checkout_state(link.session_id, "studio-a")
    assert (after.status, after.paid, after.lead_ref) == ("complete", True, "lead-1")
    assert (after.amount, after.currency) == (5000, "GBP")


async def test_B32_a_provider_outage_is_a_typed_try_again_later(payments_rig: PaymentsRig) -> None:
    payments_rig.take_down()
    with pytest.raises(PaymentsUnavailable):
        await payments_rig.payments.create_checkout(request())
    assert payments_rig.sessions_made() == 0


@pytest.mark.parametrize("offset, accepted", [(299, True), (301, False)])
def test_B42_tolerance_is_300_seconds_against_the_given_now(
    payments: Payments, offset: int, accepted: bool
) -> None:
    now = SIGNED_AT + timedelta(seconds=offset)
    if accepted:
        assert payments.decode_webhook(COMPLETED, COMPLETED_SIGNATURE, now).kind == "paid"
    else:
        with pytest.raises(InvalidSignature):
            payments.decode_webhook(COMPLETED, COMPLETED_SIGNATURE, now)


async def test_B42_two_secrets_verify_while_the_webhook_secret_rolls(open_rig: OpenRig) -> None:
    setup = PaymentsSetup(secrets=("whsec_rolled_in", "whsec_test_secret"))
    async with open_rig(setup) as rig:
        payments = rig.payments
        assert payments.decode_webhook(COMPLETED, COMPLETED_SIGNATURE, SIGNED_AT).kind == "paid"
        new = sign(COMPLETED, SIGNED_AT, secret="whsec_rolled_in")
        assert payments.decode_webhook(COMPLETED, new, SIGNED_AT).kind == "paid"
        with pytest.raises(InvalidSignature):
            payments.decode_webhook(COMPLETED, sign(COMPLETED, SIGNED_AT, "whsec_x"), SIGNED_AT)


async def test_B42_after_the_roll_the_old_secret_is_refused(open_rig: OpenRig) -> None:
    async with open_rig(PaymentsSetup(secrets=("whsec_rolled_in",))) as rig:
        with pytest.raises(InvalidSignature):
            rig.payments.decode_webhook(COMPLETED, COMPLETED_SIGNATURE, SIGNED_AT)


def test_B46_a_studio_with_its_own_webhook_secret_is_verified(payments: Payments) -> None:
    body = studio_body("studio-b")
    event = payments.decode_webhook(body, sign(body, SIGNED_AT, "whsec_studio_b"), SIGNED_AT)
    assert (event.kind, event.studio, event.lead_ref) == ("paid", "studio-b", "lead_42")
