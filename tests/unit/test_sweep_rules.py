"""The sweeper's pure decisions on a fake clock (B-38, B-41, B-48): (lead, now) -> Decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
import pytest

from core.domain.lead import Booking, Deposit, Lead, new_lead
from core.domain.outbound import ARTIST, CLIENT, plain_text
from core.domain.status import Status
from core.domain.sweep import decide_sweep, retention_due
from tests.unit.convo import START, Convo

replace = msgspec.structs.replace
H = timedelta(hours=1)


def lead_in(status: str, **times: Any) -> Lead:
    lead = new_lead("lead-1", "inkwell", "447911123456", START)
    times = {"last_client_message": START, **times}
    return replace(lead, status=status, step=2, name="Zoë Example",
                   times=replace(lead.times, **times))


@pytest.fixture
def at(studio: Any, gazetteer: Any):  # type: ignore[no-untyped-def]
    """``at(hours)``: a decision context that many hours after START."""
    convo = Convo(studio, gazetteer)

    def ctx(hours: float) -> Any:
        convo.now = START + timedelta(hours=hours)
        return convo.ctx()

    return ctx


def test_B38_a_silent_qualifying_lead_gets_one_reminder_with_its_question(
    at: Any, studio: Any
) -> None:
    limits = studio.limits
    assert decide_sweep(lead_in(Status.QUALIFYING), at(3.9), START) is None
    decision = decide_sweep(lead_in(Status.QUALIFYING), at(limits.reminder_after / H), START)
    assert decision is not None and decision.lead.status == Status.QUALIFYING
    [message] = decision.outbound
    assert message.audience == CLIENT and message.purpose == "reminder"
    assert studio.questions[2].text in plain_text(message.intent)
    assert message.fallback is not None  # a template in case the window closes meanwhile
    reminded = decision.lead
    assert decide_sweep(reminded, at(5), START) is None  # at most one per silence


def test_B38_a_client_who_writes_again_can_be_reminded_after_the_next_silence(at: Any) -> None:
    reminded = lead_in(Status.QUALIFYING, reminder_sent=START + 4 * H,
                       last_client_message=START + 5 * H)
    assert decide_sweep(reminded, at(8), START) is None
    decision = decide_sweep(reminded, at(9), START)
    assert decision is not None and [m.purpose for m in decision.outbound] == ["reminder"]


def test_B38_no_reminder_once_the_24_hour_window_has_closed(at: Any) -> None:
    assert decide_sweep(lead_in(Status.QUALIFYING), at(24), START) is None


def test_B38_a_lead_silent_for_abandon_after_is_abandoned_by_the_sweeper(at: Any) -> None:
    assert decide_sweep(lead_in(Status.QUALIFYING, reminder_sent=START + 4 * H), at(47.9),
                        START) is None
    decision = decide_sweep(lead_in(Status.QUALIFYING), at(48), START)
    assert decision is not None and decision.lead.status == Status.ABANDONED
    [move] = decision.transitions
    assert (move.actor, move.reason, move.at) == ("sweeper", "silent", START + 48 * H)
    assert decision.outbound == ()  # nothing is sent to an abandoned lead


def test_B38_an_unpaid_deposit_goes_stale_after_the_deadline_and_the_artist_is_told(
    at: Any, studio: Any
) -> None:
    waiting = replace(lead_in(Status.AWAITING_DEPOSIT),
                      deposit=Deposit(amount=15000, currency="GBP", checkout_url="https://pay"))
    entered = START + 10 * H
    assert decide_sweep(waiting, at(10 + 71.9), entered) is None
    decision = decide_sweep(waiting, at(10 + 72), entered)
    assert decision is not None and decision.lead.status == Status.STALE
    [note] = decision.outbound
    assert note.audience == ARTIST and note.to == studio.artist_number
    assert "lead-1" in plain_text(note.intent) and "STALE" in plain_text(note.intent)
    assert decision.transitions[0].reason == "deposit_deadline"


def booked(**times: Any) -> Lead:
    session = Booking(start=START + 72 * H, end=START + 75 * H, reference="bk-1")
    return replace(lead_in(Status.BOOKED, **times), booking=session)


def test_B48_the_day_before_the_session_the_client_gets_an_appointment_reminder(
    at: Any,
) -> None:
    assert decide_sweep(booked(), at(47.9), START) is None
    decision = decide_sweep(booked(), at(48), START)
    assert decision is not None
    [message] = decision.outbound
    assert message.purpose == "appointment_reminder" and message.audience == CLIENT
    assert "25 November" in plain_text(message.intent) or "25 Nov" in plain_text(message.intent)
    assert message.fallback is not None  # the window is usually closed: a template
    assert decide_sweep(decision.lead, at(50), START) is None


def test_B48_the_day_after_the_session_the_client_gets_the_aftercare_message(at: Any) -> None:
    reminded = booked(appointment_reminded=START + 48 * H)
    assert decide_sweep(reminded, at(75 + 23.9), START) is None
    decision = decide_sweep(reminded, at(75 + 24), START)
    assert decision is not None and [m.purpose for m in decision.outbound] == ["aftercare"]
    assert decide_sweep(decision.lead, at(200), START) is None


def test_B48_appointment_care_can_be_switched_off_in_the_profile(at: Any, studio: Any) -> None:
    quiet = replace(studio, care=replace(studio.care, appointment_reminder=False, aftercare=False))
    ctx = replace_ctx(at(48), quiet)
    assert decide_sweep(booked(), ctx, START) is None
    assert decide_sweep(booked(), replace_ctx(at(100), quiet), START) is None


def replace_ctx(ctx: Any, studio: Any) -> Any:
    from dataclasses import replace as dc_replace

    return dc_replace(ctx, studio=studio)


def test_B41_a_lead_closed_for_longer_than_retention_is_due_for_erasure(
    at: Any, studio: Any
) -> None:
    days = studio.limits.retention / H
    rejected = lead_in(Status.REJECTED)
    assert not retention_due(rejected, at(days - 1), START)
    assert retention_due(rejected, at(days), START)
    assert not retention_due(lead_in(Status.QUALIFYING), at(days * 2), START)  # not closed
    erased = replace(rejected, times=replace(rejected.times, erased=START))
    assert not retention_due(erased, at(days * 2), START)


def test_B41_a_booked_lead_is_kept_until_retention_after_its_session(at: Any, studio: Any) -> None:
    days = studio.limits.retention / H
    assert not retention_due(booked(), at(days), START)  # the session was 72 h after START
    assert retention_due(booked(), at(days + 75), START)
