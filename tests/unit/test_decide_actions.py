"""decide_action: the artist's actions as pure decisions (B-24, B-28)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
import pytest

from core.domain.actions import (
    Approve,
    Reject,
    Release,
    Reply,
    Resume,
    changes_nothing,
    checkout_due,
    decide_action,
)
from core.domain.decision import Context
from core.domain.deposit import Checkout
from core.domain.lead import Deposit, Lead, Times, new_lead
from core.domain.outbound import CLIENT, TextIntent, plain_text
from core.domain.status import Status
from tests.unit.convo import FORMATS, START, Convo

NOW = START + timedelta(hours=1)
CHECKOUT = Checkout(
    amount=8000,
    currency="GBP",
    attempt=1,
    session_id="cs_fake_lead-1_1",
    url="https://pay.example/cs_fake_lead-1_1",
    expires_at=NOW + timedelta(hours=23),
)


def ctx(studio: Any, gazetteer: Any, now: Any = NOW) -> Context:
    return Context(
        now=now,
        studio=studio,
        gazetteer=gazetteer,
        formats=FORMATS,
        public_url="https://ink.example",
        secret=b"k",
    )


def lead(status: str, seen_ago: timedelta | None = timedelta(hours=1), **fields: Any) -> Lead:
    base = new_lead("lead-1", "inkwell", "447911123456", START)
    seen = NOW - seen_ago if seen_ago is not None else None
    return msgspec.structs.replace(
        base, status=status, times=Times(created=START, last_client_message=seen), **fields
    )


ACTIONS = {
    "approve": Approve(CHECKOUT),
    "reject": Reject(),
    "resume": Resume(),
    "reply": Reply("See you soon!"),
    "release": Release(held=1),
}
# Which statuses each action may start from (the transition table says so for the moves).
ALLOWED_FROM = {
    "approve": {"PENDING_APPROVAL", "NEEDS_ARTIST_REPLY", "AWAITING_DEPOSIT"},
    "reject": {"PENDING_APPROVAL", "NEEDS_ARTIST_REPLY", "NEEDS_FOLLOW_UP", "REJECTED"},
    "resume": {"NEEDS_ARTIST_REPLY", "QUALIFYING"},
    "reply": set(Status.__members__) - {"OPTOUT"},
    "release": set(Status.__members__) - {"OPTOUT"},
}


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("status", list(Status.__members__))
def test_B24_every_action_from_a_wrong_status_is_refused_and_changes_nothing(
    studio: Any, gazetteer: Any, name: str, status: str
) -> None:
    before = lead(
        status, step=2, deposit=CHECKOUT.deposit() if status == "AWAITING_DEPOSIT" else None
    )
    decision = decide_action(before, ACTIONS[name], ctx(studio, gazetteer))
    if status in ALLOWED_FROM[name]:
        assert decision.refusal is None
        return
    assert decision.refusal is not None
    assert status in decision.refusal or "opted out" in decision.refusal
    assert decision.lead == before and changes_nothing(decision)


def test_B24_approve_moves_to_awaiting_deposit_and_sends_the_link(
    studio: Any, gazetteer: Any
) -> None:
    decision = decide_action(lead("PENDING_APPROVAL"), Approve(CHECKOUT), ctx(studio, gazetteer))
    assert decision.lead.status == Status.AWAITING_DEPOSIT
    assert decision.lead.deposit == Deposit(
        amount=8000,
        currency="GBP",
        session_id="cs_fake_lead-1_1",
        checkout_url=CHECKOUT.url,
        attempt=1,
        expires_at=CHECKOUT.expires_at,
    )
    [message] = decision.outbound
    assert message.audience == CLIENT and message.purpose == "deposit_link"
    assert CHECKOUT.url in plain_text(message.intent) and "£80" in plain_text(message.intent)
    assert message.fallback is not None and CHECKOUT.url in message.fallback.params  # B-28 template
    [transition] = decision.transitions
    assert (transition.source, transition.target, transition.actor) == (
        "PENDING_APPROVAL",
        "AWAITING_DEPOSIT",
        "artist",
    )


def test_B24_approving_again_is_idempotent_nothing_new_is_sent(studio: Any, gazetteer: Any) -> None:
    approved = lead("AWAITING_DEPOSIT", deposit=CHECKOUT.deposit())
    assert checkout_due(approved, Approve(), ctx(studio, gazetteer)) is None  # no second checkout
    decision = decide_action(approved, Approve(), ctx(studio, gazetteer), actor="artist:link")
    assert decision.refusal is None and changes_nothing(decision) and decision.lead == approved


def test_B32_approve_asks_for_a_checkout_of_the_rules_amount(studio: Any, gazetteer: Any) -> None:
    due = checkout_due(lead("PENDING_APPROVAL"), Approve(), ctx(studio, gazetteer))
    assert due is not None
    assert (due.amount, due.currency, due.attempt) == (studio.deposit.default_amount, "GBP", 1)
    assert due.expires_at == NOW + studio.deposit.link_expires_after
    assert checkout_due(lead("REJECTED"), Approve(), ctx(studio, gazetteer)) is None


def test_B24_reject_sends_the_kind_message_once(studio: Any, gazetteer: Any) -> None:
    decision = decide_action(
        lead("NEEDS_FOLLOW_UP"), Reject(), ctx(studio, gazetteer), "artist:link"
    )
    assert decision.lead.status == Status.REJECTED
    assert [m.purpose for m in decision.outbound] == ["rejected"]
    assert decision.transitions[0].actor == "artist:link"
    again = decide_action(decision.lead, Reject(), ctx(studio, gazetteer))
    assert changes_nothing(again) and again.refusal is None


def test_B22_B24_resume_reasks_the_current_question(studio: Any, gazetteer: Any) -> None:
    handed_over = lead("NEEDS_ARTIST_REPLY", step=2, handover_reason="client_asked")
    decision = decide_action(handed_over, Resume(), ctx(studio, gazetteer))
    assert decision.lead.status == Status.QUALIFYING and decision.lead.handover_reason is None
    assert [m.purpose for m in decision.outbound] == ["resume"]
    assert studio.questions[2].text in plain_text(decision.outbound[0].intent)


def test_B24_resume_after_the_last_question_is_refused(studio: Any, gazetteer: Any) -> None:
    done = lead("NEEDS_ARTIST_REPLY", step=len(studio.questions), handover_reason="coverup")
    decision = decide_action(done, Resume(), ctx(studio, gazetteer))
    assert (
        decision.refusal and "approve or reject" in decision.refusal and changes_nothing(decision)
    )


def test_B24_reply_sends_the_artists_own_words_without_voice(studio: Any, gazetteer: Any) -> None:
    decision = decide_action(
        lead("NEEDS_ARTIST_REPLY"), Reply("  Friday 3pm works!  "), ctx(studio, gazetteer)
    )
    [message] = decision.outbound
    assert message.intent == TextIntent("Friday 3pm works!")  # verbatim: no sign-off, no copy
    assert (message.audience, message.purpose, message.fallback) == (CLIENT, "artist_reply", None)
    assert decision.lead.status == "NEEDS_ARTIST_REPLY" and not decision.transitions


def test_B31_the_reply_goes_back_through_the_provider_the_client_wrote_through(
    studio: Any, gazetteer: Any
) -> None:
    decision = decide_action(
        lead("NEEDS_ARTIST_REPLY", provider="twilio"), Reply("Hello"), ctx(studio, gazetteer)
    )
    assert [m.provider for m in decision.outbound] == ["twilio"]


@pytest.mark.parametrize("action", [Reply("hello"), Release(held=2)], ids=["reply", "release"])
@pytest.mark.parametrize(
    "seen_ago",
    [timedelta(hours=24), timedelta(days=3), None],
    ids=["exactly-24h", "3-days", "never"],
)
def test_B28_outside_the_window_reply_and_release_are_refused(
    studio: Any, gazetteer: Any, action: Any, seen_ago: timedelta | None
) -> None:
    before = lead("NEEDS_ARTIST_REPLY", seen_ago=seen_ago)
    decision = decide_action(before, action, ctx(studio, gazetteer))
    assert decision.refusal and "window is closed" in decision.refusal
    assert changes_nothing(decision) and decision.lead == before


def test_B28_release_with_nothing_held_is_refused(studio: Any, gazetteer: Any) -> None:
    decision = decide_action(lead("NEEDS_ARTIST_REPLY"), Release(held=0), ctx(studio, gazetteer))
    assert decision.refusal == "no message is held for this lead"
    released = decide_action(lead("NEEDS_ARTIST_REPLY"), Release(held=2), ctx(studio, gazetteer))
    assert released.refusal is None and [e.kind for e in released.events] == ["artist_action"]


def test_B24_an_empty_reply_is_refused(studio: Any, gazetteer: Any) -> None:
    decision = decide_action(lead("QUALIFYING"), Reply("   "), ctx(studio, gazetteer))
    assert decision.refusal == "the reply is empty" and not decision.outbound


def test_B24_a_real_conversation_can_be_approved(convo: Convo, studio: Any, gazetteer: Any) -> None:
    convo.complete()
    assert convo.lead.status == Status.PENDING_APPROVAL
    decision = decide_action(convo.lead, Approve(CHECKOUT), convo.ctx())
    assert decision.lead.status == Status.AWAITING_DEPOSIT
    assert [m.purpose for m in decision.outbound] == ["deposit_link"]
