"""The lead: one client of one studio and everything known about them (section 1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.domain.outbound import Button
from core.domain.status import Status


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """One answer as given: every answer is kept, the latest per key wins (B-11)."""

    key: str
    text: str
    message_id: str
    at: datetime
    value: Any = None  # the parsed value as JSON-friendly data, or None
    media: tuple[str, ...] = ()  # reference media ids (B-7)


class Deposit(msgspec.Struct, frozen=True, kw_only=True):
    amount: int  # minor units
    currency: str
    session_id: str | None = None
    checkout_url: str | None = None
    attempt: int = 1  # 2 for the one fresh link after expiry (B-34)
    paid_at: datetime | None = None
    expires_at: datetime | None = None  # when the checkout link stops working


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime
    end: datetime
    reference: str | None = None


class Times(msgspec.Struct, frozen=True, kw_only=True):
    """The timestamps of section 1, all timezone-aware UTC (B-39)."""

    created: datetime
    last_client_message: datetime | None = None
    last_bot_message: datetime | None = None
    question_sent: datetime | None = None  # when the current question was decided (B-5)
    qualifying_started: datetime | None = None
    qualifying_completed: datetime | None = None
    handover_entered: datetime | None = None
    artist_notified: datetime | None = None
    last_hold_reply: datetime | None = None
    panic_reply: datetime | None = None
    reminder_sent: datetime | None = None
    deposit_paid: datetime | None = None
    booked: datetime | None = None
    opted_out: datetime | None = None
    # Time-driven jobs and erasure (issue 10, B-38 to B-41, B-48)
    appointment_reminded: datetime | None = None
    aftercare_sent: datetime | None = None
    erased: datetime | None = None  # personal data removed (B-40); the record stays anonymous


class Lead(msgspec.Struct, frozen=True, kw_only=True):
    """A frozen snapshot; decisions return a new one (never mutate)."""

    id: str
    studio: str
    contact: str
    status: str = Status.NEW  # a plain str: an unknown stored status is a data fault (B-2)
    step: int = 0
    name: str | None = None  # the name the client gave, else the provider profile name
    answers: dict[str, Answer] = {}  # latest answer per question key
    parse_failures: dict[str, int] = {}
    handover_reason: str | None = None
    awaiting_confirmation: bool = False  # the summary of B-14 is out, waiting for yes/fix
    confirmed: bool = False
    tour_stop: str | None = None
    tour_repairs: int = 0
    nontext_notice_sent: bool = False
    pilot_notice_sent: bool = False
    recent: tuple[str, ...] = ()  # the client's last five messages, oldest first (B-23)
    references: tuple[str, ...] = ()  # reference media ids, in the order received (B-7)
    noted_step: int = -1  # the step whose "image noted" reply went out (one per question)
    deposit: Deposit | None = None
    booking: Booking | None = None
    offered_slots: tuple[datetime, ...] = ()
    times: Times
    # Several providers (issue 13): the provider the client last wrote through, and the
    # options of the last buttons/list sent, so a "1"/"2" typed answer maps back (B-31).
    provider: str | None = None
    offered: tuple[Button, ...] = ()
    version: int = 0  # bumped on every save (optimistic check for adapters that want it)


RECENT_MESSAGES = 5


def new_lead(lead_id: str, studio: str, contact: str, now: datetime) -> Lead:
    return Lead(id=lead_id, studio=studio, contact=contact, times=Times(created=now))


def latest_answers(lead: Lead) -> dict[str, str]:
    """Latest answer text per key, in question order as stored."""
    return {key: answer.text for key, answer in lead.answers.items()}
