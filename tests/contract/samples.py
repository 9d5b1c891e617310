"""Values the contract tests build their cases from."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeVar

import msgspec
import pytest

from core.domain.events import Event
from core.domain.lead import Answer, Booking, Deposit, Lead, Times
from core.domain.outbound import (
    ARTIST,
    CLIENT,
    Button,
    ButtonsIntent,
    Intent,
    ListIntent,
    Outgoing,
    Row,
    TemplateIntent,
    TextIntent,
)
from tests.contract.backends import Store

T = TypeVar("T")

T0 = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)  # a Monday, with microseconds
PLUS_TWO = timezone(timedelta(hours=2))
WAIT = 5.0  # seconds: anything slower than this is a hang, not a slow machine


def at(minutes: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def within(awaitable: Awaitable[T], seconds: float = WAIT) -> T:
    return await asyncio.wait_for(awaitable, seconds)


def needs_parallel_writers(store: Store) -> None:
    """Skip on a backend whose writers are serialised (``parallel_writers = False``)."""
    if not getattr(store, "parallel_writers", True):
        pytest.skip(f"{store.name} serialises writers")


def answer(key: str, text: str, minutes: float, message_id: str | None = None) -> Answer:
    return Answer(
        key=key, text=text, message_id=message_id or f"wamid.{key}.{minutes}", at=at(minutes)
    )


def full_lead(lead: Lead) -> Lead:
    """``lead`` with every field set to something other than its default."""
    budget = Answer(
        key="budget",
        text="400-500 pounds",
        message_id="wamid.budget",
        at=at(3),
        value={"min": 40000, "max": 50000, "currency": "GBP", "tags": ["a", 1, None, True]},
        media=("media-1", "media-2"),
    )
    idea = Answer(key="idea", text="a koi fish", message_id="wamid.idea", at=at(2))
    return msgspec.structs.replace(
        lead,
        status="AWAITING_DEPOSIT",
        step=7,
        name="Zoë Müller",
        answers={"idea": idea, "budget": budget},
        parse_failures={"budget": 2, "size": 1},
        handover_reason="client_asked",
        awaiting_confirmation=True,
        confirmed=True,
        tour_stop="berlin-2026-05",
        tour_repairs=1,
        nontext_notice_sent=True,
        pilot_notice_sent=True,
        recent=("hi", "a koi fish", "😀 emoji"),
        references=("media-1", "media-2"),
        noted_step=6,
        deposit=Deposit(
            amount=5000,
            currency="GBP",
            session_id="cs_test_1",
            checkout_url="https://pay.example.test/cs_test_1",
            attempt=2,
            paid_at=at(60),
        ),
        booking=Booking(start=at(60 * 24 * 7), end=at(60 * 24 * 7 + 180), reference="booking_1"),
        offered_slots=(at(60 * 24), at(60 * 24 + 180).astimezone(PLUS_TWO)),
        provider="twilio",  # issue 13
        offered=(Button("yes", "Yes ✅"), Button("no", "No")),
        times=Times(
            created=lead.times.created,
            last_client_message=at(1),
            last_bot_message=at(1.5),
            question_sent=at(1.6),
            qualifying_started=at(0.5),
            qualifying_completed=at(4),
            handover_entered=at(5),
            artist_notified=at(5.1),
            last_hold_reply=at(5.2),
            panic_reply=at(5.3),
            reminder_sent=at(5.4),
            deposit_paid=at(60),
            booked=at(61),
            opted_out=at(62).astimezone(PLUS_TWO),
            appointment_reminded=at(63),  # issue 10
            aftercare_sent=at(64),
            erased=at(65),
        ),
    )


KEPT_AS_CREATED = frozenset({"id", "studio", "contact", "version"})


def unset_fields(lead: Lead) -> list[str]:
    """Fields of ``lead`` still at their default: the round trip would not prove them."""
    unset = [
        info.name
        for info in msgspec.structs.fields(Lead)
        if info.name not in KEPT_AS_CREATED and getattr(lead, info.name) == _default(info)
    ]
    unset += [
        f"times.{info.name}"
        for info in msgspec.structs.fields(Times)
        if getattr(lead.times, info.name) == _default(info)
    ]
    return unset


def _default(info: msgspec.structs.FieldInfo) -> object:
    if info.default_factory is not msgspec.NODEFAULT:
        return info.default_factory()
    return info.default  # NODEFAULT for required fields: never equal to a value


INTENTS: tuple[Intent, ...] = (
    TextIntent(body="Hi! What would you like tattooed?"),
    ButtonsIntent(body="Is that right?", buttons=(Button("yes", "Yes"), Button("no", "No"))),
    ListIntent(body="Pick a slot", button="Slots", rows=(Row("1", "Mon 10:00", "3 hours"),)),
    TemplateIntent(name="deposit_received", language="en_GB", params=("£50", "Mon 10:00")),
)


def outgoing(
    to: str,
    lead_id: str = "lead-1",
    body: str = "hello",
    audience: str = CLIENT,
    intent: Intent | None = None,
) -> Outgoing:
    return Outgoing(
        lead_id=lead_id,
        studio="studio-a",
        audience=audience,
        to=to,
        intent=intent or TextIntent(body=body),
        purpose="ask_question",
        fallback=TemplateIntent(
            name="reminder", language="en_GB", params=(body,), content_sid="HX0123456789abcdef"
        ),
        provider="twilio",  # issue 13: the provider the client wrote through
    )


def artist_message(to: str, lead_id: str = "lead-1", body: str = "new lead") -> Outgoing:
    return msgspec.structs.replace(outgoing(to, lead_id, body, ARTIST), fallback=None)


def event(kind: str, lead_id: str | None, minutes: float = 0) -> Event:
    return Event(
        kind=kind,
        at=at(minutes),
        lead_id=lead_id,
        studio="studio-a",
        detail={"from": "NEW", "to": "QUALIFYING", "n": 1, "nested": {"ok": True}},
        level="warning",
    )
