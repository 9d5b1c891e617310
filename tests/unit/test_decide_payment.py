"""decide_payment and deposit_amount: pure tables (B-32, B-33, B-34)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
import pytest

from core.domain.actions import changes_nothing
from core.domain.deposit import Checkout, deposit_amount
from core.domain.lead import Answer, Deposit, Lead
from core.domain.outbound import ARTIST, CLIENT, plain_text
from core.domain.payments import (
    EXPIRED,
    PAID,
    Payment,
    decide_payment,
    fresh_link_due,
    needs_confirmation,
)
from core.domain.status import Status
from tests.unit.test_decide_actions import NOW, ctx, lead

SESSION = "cs_fake_lead-1_1"
DEPOSIT = Deposit(
    amount=8000,
    currency="GBP",
    session_id=SESSION,
    checkout_url="https://pay/1",
    attempt=1,
    expires_at=NOW + timedelta(hours=23),
)


def awaiting(status: str = "AWAITING_DEPOSIT", **deposit: Any) -> Lead:
    return lead(status, deposit=msgspec.structs.replace(DEPOSIT, **deposit))


def paid(**fields: Any) -> Payment:
    return Payment(
        **{
            "kind": PAID,
            "event_id": "evt_1",
            "session_id": SESSION,
            "amount": 8000,
            "currency": "GBP",
            "confirmed": True,
            **fields,
        }
    )


@pytest.mark.parametrize("status", ["AWAITING_DEPOSIT", "NEEDS_ARTIST_REPLY"])
def test_B33_a_paid_session_moves_the_lead_to_deposit_paid(
    studio: Any, gazetteer: Any, status: str
) -> None:
    decision = decide_payment(awaiting(status), paid(), ctx(studio, gazetteer), actor="stripe")
    assert decision.lead.status == Status.DEPOSIT_PAID and decision.refusal is None
    assert decision.lead.deposit is not None and decision.lead.deposit.paid_at == NOW
    assert [(m.audience, m.purpose) for m in decision.outbound] == [
        (CLIENT, "deposit_confirmed"),
        (ARTIST, "artist_deposit_paid"),
    ]
    confirmation = plain_text(decision.outbound[0].intent)
    assert "£80" in confirmation and "non-refundable" in confirmation  # the studio's policy
    assert decision.outbound[0].fallback is not None  # the template outside the window (B-28)
    assert decision.transitions[0].actor == "stripe"


@pytest.mark.parametrize(
    "before, payment, reason",
    [
        (awaiting(session_id="cs_other"), paid(), "session_mismatch"),
        (awaiting(), paid(confirmed=False), "the provider does not report it paid"),
        (awaiting(), paid(amount=100), "amount_mismatch"),
        (awaiting("DEPOSIT_PAID", paid_at=NOW), paid(), "no payment expected in DEPOSIT_PAID"),
        (awaiting("REJECTED"), paid(), "no payment expected in REJECTED"),
        (
            awaiting("DEPOSIT_PAID", paid_at=NOW),
            paid(kind=EXPIRED),
            "no expiry expected in DEPOSIT_PAID",
        ),
        (awaiting(attempt=2), paid(kind=EXPIRED), "the fresh link was offered already"),
        (awaiting(), paid(kind="ignored"), "not a payment event Inkbook acts on"),
    ],
    ids=[
        "mismatch",
        "unpaid",
        "amount",
        "paid-twice",
        "rejected",
        "expired-after-paid",
        "second-expiry",
        "ignored",
    ],
)
def test_B33_B34_what_does_not_fit_the_lead_is_recorded_and_changes_nothing(
    studio: Any, gazetteer: Any, before: Lead, payment: Payment, reason: str
) -> None:
    decision = decide_payment(before, payment, ctx(studio, gazetteer))
    assert decision.refusal == reason and decision.lead == before
    assert not decision.outbound and not decision.transitions
    [event] = decision.events
    assert event.detail["reason"] == reason and event.detail["event_id"] == "evt_1"


def test_B33_only_a_payable_matching_session_is_reread(studio: Any, gazetteer: Any) -> None:
    assert needs_confirmation(awaiting(), paid(confirmed=False))
    assert not needs_confirmation(awaiting(session_id="cs_other"), paid())
    assert not needs_confirmation(awaiting("DEPOSIT_PAID", paid_at=NOW), paid())


def test_B34_an_expired_first_link_gets_one_fresh_link(studio: Any, gazetteer: Any) -> None:
    expired = paid(kind=EXPIRED, confirmed=False)
    due = fresh_link_due(awaiting(), expired, ctx(studio, gazetteer))
    assert due is not None and (due.attempt, due.amount, due.currency) == (2, 8000, "GBP")
    assert fresh_link_due(awaiting(attempt=2), expired, ctx(studio, gazetteer)) is None
    fresh = Checkout(
        amount=8000,
        currency="GBP",
        attempt=2,
        session_id="cs_fake_lead-1_2",
        url="https://pay/2",
        expires_at=NOW + timedelta(hours=23),
    )
    decision = decide_payment(
        awaiting(), msgspec.structs.replace(expired, checkout=fresh), ctx(studio, gazetteer)
    )
    assert decision.lead.status == Status.AWAITING_DEPOSIT
    assert decision.lead.deposit is not None and decision.lead.deposit.attempt == 2
    assert decision.lead.deposit.session_id == "cs_fake_lead-1_2"
    [message] = decision.outbound
    assert message.purpose == "deposit_link_refreshed" and "https://pay/2" in plain_text(
        message.intent
    )


def _answer(key: str, value: Any) -> Answer:
    return Answer(key=key, text="x", message_id="m", at=NOW, value=value)


@pytest.mark.parametrize(
    "size, complexity, amount",
    [
        ({"size_class": "full_sleeve"}, {"level": 1}, 30000),
        ({"size_class": "half_sleeve"}, {"level": 3}, 20000),
        ({"width_cm": 20.0, "height_cm": 20.0}, {"level": 3}, 15000),
        ({"width_cm": 5.0, "height_cm": 8.0}, {"level": 1}, 5000),
        ({"width_cm": 10.0, "height_cm": 12.0}, {"level": 2}, 8000),
        ({"width_cm": 20.0, "height_cm": 20.0}, {"level": 2}, 10000),  # no rule: the default
        (None, None, 10000),
    ],
)
def test_B32_the_deposit_follows_the_profiles_rules_first_match_wins(
    studio: Any, size: Any, complexity: Any, amount: int
) -> None:
    answers = {}
    if size is not None:
        answers["size"] = _answer("size", size)
    if complexity is not None:
        answers["complexity"] = _answer("complexity", complexity)
    assert deposit_amount(lead("PENDING_APPROVAL", answers=answers), studio) == amount


def test_a_recorded_refusal_changes_nothing(studio: Any, gazetteer: Any) -> None:
    decision = decide_payment(awaiting(session_id="x"), paid(), ctx(studio, gazetteer))
    assert not changes_nothing(decision)  # it carries the event to record
    assert decision.events[0].level == "warning"
