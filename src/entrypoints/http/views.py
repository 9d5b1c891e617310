"""A lead as the admin API shows it (CONTRACT.md "A lead as GET /api/leads/{id} returns it")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec

from core.domain.answers import understood
from core.domain.lead import Lead, latest_answers
from core.domain.status import Status, Transition
from core.domain.studios import Studios, UnknownStudio
from ports.lead_repo import ThreadEntry


class DepositView(msgspec.Struct, frozen=True, kw_only=True):
    amount: int  # minor units
    currency: str
    checkout_url: str | None
    paid: bool
    paid_at: datetime | None = None
    attempt: int = 1
    expires_at: datetime | None = None  # when the checkout link stops working (issue 8)


class BookingView(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime
    end: datetime
    reference: str | None = None


class ThreadLine(msgspec.Struct, frozen=True, kw_only=True):
    direction: str  # "in" (from the client) or "out" (to the client)
    text: str
    at: datetime
    kind: str = "text"


class TransitionView(msgspec.Struct, frozen=True, kw_only=True):
    source: str = msgspec.field(name="from")
    target: str = msgspec.field(name="to")
    reason: str
    actor: str
    at: datetime


class LeadSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    studio: str
    contact: str
    name: str | None
    status: str
    current_question: str | None  # key of the question at ``step``, or null
    answers: dict[str, str]  # latest answer text per question key
    understood: dict[str, Any]  # parsed value per question key, `inkbook parse` shapes
    handover_reason: str | None
    deposit: DepositView | None
    booking: BookingView | None
    offered_slots: list[datetime]  # ISO-8601 with offset, while BOOKING_PENDING (issue 9)
    step: int
    parse_failures: dict[str, int]
    references: list[str]
    created_at: datetime
    last_client_message_at: datetime | None


class LeadDetail(LeadSummary, frozen=True, kw_only=True):
    thread: list[ThreadLine]
    transitions: list[TransitionView]


class LeadList(msgspec.Struct, frozen=True, kw_only=True):
    leads: list[LeadSummary]
    limit: int
    offset: int


def _current_question(lead: Lead, studios: Studios) -> str | None:
    try:
        question = studios.get(lead.studio).question_at(lead.step)
    except UnknownStudio:  # a studio removed from the deployment: its leads stay readable
        return None
    return question.key if question else None


def _understood(lead: Lead, studios: Studios) -> dict[str, Any]:
    try:
        return understood(lead, studios.get(lead.studio))
    except UnknownStudio:  # no question kinds to shape by: the stored values as they are
        return {k: a.value for k, a in lead.answers.items() if a.value is not None}


def _summary_fields(lead: Lead, studios: Studios) -> dict[str, object]:
    deposit = lead.deposit
    booking = lead.booking
    return {
        "id": lead.id,
        "studio": lead.studio,
        "contact": lead.contact,
        "name": lead.name,
        "status": lead.status,
        "current_question": _current_question(lead, studios),
        "answers": latest_answers(lead),
        "understood": _understood(lead, studios),
        "handover_reason": lead.handover_reason,
        "deposit": None
        if deposit is None
        else DepositView(
            amount=deposit.amount,
            currency=deposit.currency,
            checkout_url=deposit.checkout_url,
            paid=deposit.paid_at is not None,
            paid_at=deposit.paid_at,
            attempt=deposit.attempt,
            expires_at=deposit.expires_at,
        ),
        "booking": None
        if booking is None
        else BookingView(start=booking.start, end=booking.end, reference=booking.reference),
        "offered_slots": list(lead.offered_slots) if lead.status == Status.BOOKING_PENDING else [],
        "step": lead.step,
        "parse_failures": dict(lead.parse_failures),
        "references": list(lead.references),
        "created_at": lead.times.created,
        "last_client_message_at": lead.times.last_client_message,
    }


def lead_summary(lead: Lead, studios: Studios) -> LeadSummary:
    return LeadSummary(**_summary_fields(lead, studios))  # type: ignore[arg-type]


def lead_detail(
    lead: Lead,
    studios: Studios,
    thread: Sequence[ThreadEntry],
    transitions: Sequence[Transition],
) -> LeadDetail:
    return LeadDetail(
        **_summary_fields(lead, studios),  # type: ignore[arg-type]
        thread=[
            ThreadLine(direction=e.direction, text=e.text, at=e.at, kind=e.kind) for e in thread
        ],
        transitions=[
            TransitionView(
                source=t.source, target=t.target, reason=t.reason, actor=t.actor, at=t.at
            )
            for t in transitions
        ],
    )
