"""The Stripe adapter against the local fake of Stripe's API: what Stripe receives
(B-32), its idempotency, error mapping and per-studio keys (B-46)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import msgspec
import pytest

from ports.payments import (
    DepositRequest,
    InvalidSignature,
    PaymentRefused,
    PaymentsUnavailable,
)
from tests.contract.payments_rigs import SIGNED_AT, PaymentsSetup, StripeRig
from tests.contract.test_payments_checkout_contract import studio_body
from tests.contract.test_payments_contract import request, sign
from tests.fakes.stripe_api import sign as stripe_sign


@pytest.fixture
async def rig() -> AsyncIterator[StripeRig]:
    rig = StripeRig(PaymentsSetup())
    try:
        yield rig
    finally:
        await rig.close()


def changed(deposit: DepositRequest, **fields: object) -> DepositRequest:
    return msgspec.structs.replace(deposit, **fields)


async def test_B32_stripe_receives_a_payment_mode_session_for_the_deposit(rig: StripeRig) -> None:
    await rig.stripe.create_checkout(request())
    assert rig.api.created == [
        {
            "mode": "payment",
            "line_items[0][price_data][currency]": "gbp",
            "line_items[0][price_data][unit_amount]": "5000",
            "line_items[0][price_data][product_data][name]": "Deposit for your tattoo",
            "line_items[0][quantity]": "1",
            "success_url": "https://ink.example-studio.com/deposit/thanks",
            "cancel_url": "https://ink.example-studio.com/deposit/cancelled",
            "client_reference_id": "lead-1",
            "metadata[lead_id]": "lead-1",
            "metadata[studio]": "studio-a",
            "metadata[attempt]": "1",
            "payment_intent_data[metadata][lead_id]": "lead-1",
            "payment_intent_data[metadata][studio]": "studio-a",
            "expires_at": str(int((SIGNED_AT + timedelta(hours=23)).timestamp())),
        }
    ]


async def test_B32_the_deterministic_idempotency_key_is_sent_and_replayed(rig: StripeRig) -> None:
    first = await rig.stripe.create_checkout(request())
    again = await rig.stripe.create_checkout(request())
    assert again == first and len(rig.api.sessions) == 1
    assert rig.api.idempotency_keys == ["deposit:studio-a:lead-1:1"] * 2


async def test_B32_the_same_attempt_with_other_terms_is_refused_not_charged_twice(
    rig: StripeRig,
) -> None:
    await rig.stripe.create_checkout(request())
    with pytest.raises(PaymentRefused, match="IdempotencyError"):
        await rig.stripe.create_checkout(changed(request(), amount=6000))
    assert len(rig.api.sessions) == 1


@pytest.mark.parametrize(
    "wanted, expected",
    [
        (timedelta(hours=48), timedelta(hours=23, minutes=59)),
        (timedelta(minutes=5), timedelta(minutes=31)),
        (timedelta(hours=2, seconds=0.5), timedelta(hours=2)),
    ],
    ids=["too-late", "too-soon", "whole-seconds"],
)
async def test_B32_the_expiry_is_kept_inside_stripes_window(
    rig: StripeRig, wanted: timedelta, expected: timedelta
) -> None:
    link = await rig.stripe.create_checkout(changed(request(), expires_at=SIGNED_AT + wanted))
    assert link.expires_at == SIGNED_AT + expected


@pytest.mark.parametrize(
    "fields, param",
    [
        ({"amount": 0}, "line_items[0][price_data][unit_amount]"),
        ({"currency": "G1P"}, "line_items[0][price_data][currency]"),
        ({"description": " "}, "line_items[0][price_data][product_data][name]"),
        ({"success_url": "not a url"}, "success_url"),
    ],
)
async def test_parameters_stripe_rejects_are_refused_naming_the_param(
    rig: StripeRig, fields: dict[str, object], param: str
) -> None:
    with pytest.raises(PaymentRefused) as refused:
        await rig.stripe.create_checkout(changed(request(), **fields))
    assert "400" in str(refused.value) and param in str(refused.value)
    assert rig.api.sessions == {}


async def test_a_bad_api_key_is_refused(rig: StripeRig) -> None:
    rig.api.api_keys = {"sk_test_rotated"}
    with pytest.raises(PaymentRefused, match="401"):
        await rig.stripe.create_checkout(request())


@pytest.mark.parametrize("outage", ["500", "429", "hang"])
async def test_stripe_down_is_unavailable_not_refused(outage: str) -> None:
    rig = StripeRig(PaymentsSetup(timeout=0.3))
    rig.api.outage = outage
    try:
        with pytest.raises(PaymentsUnavailable):
            await rig.stripe.create_checkout(request())
        with pytest.raises(PaymentsUnavailable):
            await rig.stripe.checkout_state("cs_test_any", "studio-a")
    finally:
        await rig.close()


async def test_B32_network_retries_reuse_the_key_and_make_one_session() -> None:
    rig = StripeRig(PaymentsSetup(max_network_retries=1))
    rig.api.outage, rig.api.outage_left = "500", 1
    try:
        link = await rig.stripe.create_checkout(request())
        assert list(rig.api.sessions) == [link.session_id]
        assert rig.api.idempotency_keys == ["deposit:studio-a:lead-1:1"] * 2
    finally:
        await rig.close()


async def test_B46_a_studio_with_its_own_key_uses_its_own_stripe_account(rig: StripeRig) -> None:
    link = await rig.stripe.create_checkout(changed(request(), studio="studio-b"))
    assert rig.api.owner(link.session_id) == "sk_test_studio_b"
    assert (await rig.stripe.checkout_state(link.session_id, "studio-b")).status == "open"
    with pytest.raises(PaymentRefused, match="404"):  # not in the global account
        await rig.stripe.checkout_state(link.session_id, "studio-a")
    other = await rig.stripe.create_checkout(request(lead_id="lead-2"))
    assert rig.api.owner(other.session_id) == "sk_test_global"  # the others fall back


def test_B46_a_studio_secret_cannot_vouch_for_another_studio(rig: StripeRig) -> None:
    body = studio_body("studio-a")
    with pytest.raises(InvalidSignature):
        rig.stripe.decode_webhook(body, sign(body, SIGNED_AT, "whsec_studio_b"), SIGNED_AT)


async def test_B46_a_secret_two_studios_share_names_the_studio_only_from_metadata() -> None:
    shared = {"studio-b": "whsec_shared", "studio-c": "whsec_shared"}
    rig = StripeRig(PaymentsSetup(studio_secrets=shared))
    try:
        foreign = json.loads(studio_body("studio-b"))
        del foreign["data"]["object"]["metadata"]["studio"]  # a session Inkbook did not make
        cases = [(studio_body("studio-c"), "studio-c"), (json.dumps(foreign).encode(), None)]
        for body, studio in cases:
            header = sign(body, SIGNED_AT, "whsec_shared")
            assert rig.stripe.decode_webhook(body, header, SIGNED_AT).studio == studio
    finally:
        await rig.close()


async def test_B33_end_to_end_a_paid_session_comes_back_as_its_signed_event(
    rig: StripeRig,
) -> None:
    lead = "0f8fad5bd9cb469fa16570867728950e"
    link = await rig.stripe.create_checkout(request(lead_id=lead))
    body = rig.api.complete(link.session_id)
    at = SIGNED_AT + timedelta(minutes=7)
    event = rig.stripe.decode_webhook(body, stripe_sign(body, "whsec_test_secret", at), at)
    assert (event.kind, event.type) == ("paid", "checkout.session.completed")
    assert (event.session_id, event.lead_ref, event.studio) == (link.session_id, lead, "studio-a")
    assert (event.amount, event.currency) == (5000, "GBP")
    state = await rig.stripe.checkout_state(link.session_id, "studio-a")
    assert (state.status, state.paid, state.lead_ref) == ("complete", True, lead)
    expired = rig.api.expire((await rig.stripe.create_checkout(request(attempt=2))).session_id)
    decoded = rig.stripe.decode_webhook(expired, stripe_sign(expired, "whsec_test_secret", at), at)
    assert (decoded.kind, decoded.lead_ref) == ("expired", "lead-1")


def test_events_other_than_checkout_sessions_are_ignored_whatever_their_object(
    rig: StripeRig,
) -> None:
    body = b'{"id": "evt_9", "object": "event", "type": "payout.paid", "data": {"object": {}}}'
    event = rig.stripe.decode_webhook(body, sign(body, SIGNED_AT), SIGNED_AT)
    assert (event.event_id, event.kind, event.type, event.session_id) == (
        "evt_9",
        "ignored",
        "payout.paid",
        None,
    )
