"""The booking decisions, pure, on a fake clock: offer, pick, booked, taken, repair, times (B-19,
B-31, B-35 to B-37, B-50)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from core.domain.booking import (
    Booked,
    Taken,
    Unavailable,
    may_book_by_hand,
    offer,
    session_length,
)
from core.domain.booking_file import booked_lead_id
from core.domain.builder import Builder
from core.domain.decide import decide
from core.domain.inbound import Choice, Inbound, Media, Text
from core.domain.lead import Answer, Deposit
from core.domain.outbound import ButtonsIntent, ListIntent, TemplateIntent
from core.domain.slot_choice import pick
from core.domain.slots import Slot
from core.domain.status import Status
from tests.unit.convo import START, Convo, artist, client, texts

TUESDAY = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)  # London is on UTC in November


def slots(n: int, first: datetime = TUESDAY, gap: timedelta = timedelta(hours=3)) -> list[Slot]:
    return [Slot(start=first + i * gap, end=first + i * gap + timedelta(hours=2)) for i in range(n)]


def paid(convo: Convo) -> None:
    convo.set(status=Status.DEPOSIT_PAID,
              deposit=Deposit(amount=5000, currency="GBP", paid_at=START),
              times=msgspec.structs.replace(convo.lead.times, last_client_message=START))


def offered(convo: Convo, n: int = 8, first: datetime = TUESDAY) -> list[Slot]:
    paid(convo)
    b = Builder(convo.lead, convo.ctx(), actor="system")
    offer(b, slots(n, first))
    convo.lead = b.build().lead
    return slots(n, first)


def message(convo: Convo, content: str | Choice | Media) -> Inbound:
    return Inbound(message_id="wamid.x", studio=convo.studio.id, contact=convo.lead.contact,
                   at=convo.now + timedelta(minutes=1),
                   content=Text(content) if isinstance(content, str) else content)


def test_B35_B31_eight_slots_are_offered_as_a_list_with_slot_ids(convo: Convo) -> None:
    paid(convo)
    b = Builder(convo.lead, convo.ctx(), actor="system")
    offer(b, slots(8))
    d = b.build()
    assert d.lead.status == Status.BOOKING_PENDING
    assert [(t.source, t.target) for t in d.transitions] == [("DEPOSIT_PAID", "BOOKING_PENDING")]
    assert d.lead.offered_slots == tuple(s.start for s in slots(8))
    (sent,) = d.outbound
    assert sent.purpose == "slot_offer" and isinstance(sent.intent, ListIntent)
    assert [r.id for r in sent.intent.rows] == [f"slot_{i}" for i in range(1, 9)]
    assert sent.intent.rows[0].title == "Tue 24 Nov, 11:00"
    assert all(len(r.title) <= 24 for r in sent.intent.rows) and len(sent.intent.button) <= 20
    assert "1. Tue 24 Nov, 11:00" in texts(d)[0]  # the numbered fallback for text-only providers


def test_B31_up_to_three_short_slots_are_reply_buttons(convo: Convo) -> None:
    paid(convo)
    b = Builder(convo.lead, convo.ctx(), actor="system")
    offer(b, slots(2))
    (sent,) = b.build().outbound
    assert isinstance(sent.intent, ButtonsIntent)
    assert [(x.id, x.title) for x in sent.intent.buttons] == [
        ("slot_1", "Tue 24 Nov, 11:00"), ("slot_2", "Tue 24 Nov, 14:00")]


def test_B31_a_long_slot_title_is_shortened_in_a_list_and_kept_whole_below(convo: Convo) -> None:
    long = {**convo.studio.copy, "slot_option": ("{when} with the artist herself",)}
    convo.studio = msgspec.structs.replace(convo.studio, copy=long)
    paid(convo)
    b = Builder(convo.lead, convo.ctx(), actor="system")
    offer(b, slots(2))
    (sent,) = b.build().outbound
    assert isinstance(sent.intent, ListIntent)  # too long for a button: a list instead
    row = sent.intent.rows[0]
    assert len(row.title) <= 24 and row.title.endswith("…")
    assert row.description == "Tue 24 Nov, 11:00 with the artist herself"


def test_B35_no_more_than_max_slots_are_offered(convo: Convo) -> None:
    limits = msgspec.structs.replace(convo.studio.limits, max_slots=4)
    convo.studio = msgspec.structs.replace(convo.studio, limits=limits)
    offered(convo, 9)
    assert len(convo.lead.offered_slots) == 4


@pytest.mark.parametrize("found", [None, []])
def test_B37_no_calendar_or_no_free_slot_asks_for_preferred_times(convo: Convo, found) -> None:
    paid(convo)
    b = Builder(convo.lead, convo.ctx(), actor="system")
    offer(b, found)
    d = b.build()
    assert d.lead.status == Status.COLLECTING_TIME_WINDOWS
    assert client(d) == ["ask_time_windows"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (Choice("slot_3", "Tue 24 Nov, 17:00"), 3),
        ("2", 2),
        ("option 4", 4),
        ("the second one", 2),
        ("2pm", 2),
        ("14:00 please", 2),
        ("Tuesday afternoon", 2),  # 11:00, 14:00, 17:00, 20:00, 23:00, then Wednesday
        ("Tuesday evening", None),  # 17:00, 20:00 and 23:00
        ("Wednesday morning", None),  # 02:00, 05:00, 08:00
        ("Wednesday 8am", 8),
        ("1 or 2", None),
        ("I have 3 questions", None),
        ("STOP", None),
        ("9", None),
        (Media("image", "m1"), None),
    ],
)
def test_B19_pick_reads_a_choice_among_the_offered_slots(convo: Convo, content, expected) -> None:
    offered(convo, 8)
    assert pick(convo.lead, message(convo, content), convo.ctx()) == expected


def test_B19_a_tap_on_a_list_from_an_older_offer_picks_the_time_it_showed(convo: Convo) -> None:
    offered(convo, 8)
    stale = Choice("slot_1", "Tue 24 Nov, 14:00")  # slot 1 of an earlier offer, now slot 2
    assert pick(convo.lead, message(convo, stale), convo.ctx()) == 2
    gone = Choice("slot_1", "Mon 23 Nov, 11:00")  # a time no longer offered
    assert pick(convo.lead, message(convo, gone), convo.ctx()) is None


def test_B19_times_and_days_are_the_studio_s_local_ones(convo: Convo) -> None:
    convo.studio = msgspec.structs.replace(convo.studio, timezone="America/New_York")
    first = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 14:00 in New York
    offered(convo, 2, first)
    assert pick(convo.lead, message(convo, "2pm"), convo.ctx()) == 1
    assert pick(convo.lead, message(convo, "the 5pm one"), convo.ctx()) == 2


def test_B36_a_booked_choice_confirms_to_both_with_the_ics_link(convo: Convo) -> None:
    offered(convo, 8)
    slot = slots(8)[1]
    d = convo.send("2")  # no outcome yet: decide does not book
    assert d.lead.status == Status.BOOKING_PENDING and client(d) == ["repair_slot"]
    inbound = message(convo, "2")
    d = decide(convo.lead, inbound, convo.ctx(), booking=Booked(slot, "booking_7"))
    assert d.lead.status == Status.BOOKED
    assert d.lead.booking is not None and d.lead.booking.reference == "booking_7"
    assert (d.lead.booking.start, d.lead.booking.end) == (slot.start, slot.end)
    assert d.lead.offered_slots == () and d.lead.times.booked == convo.ctx().now
    assert client(d) == ["slot_booked"] and artist(d) == ["artist_booked"]
    (confirmation,) = [m for m in d.outbound if m.purpose == "slot_booked"]
    body = texts(d)[0]
    assert "Tue 24 Nov, 14:00" in body
    token = body.split("/bookings/")[1].split(".ics")[0]
    assert booked_lead_id(b"test-secret", token, convo.ctx().now) == convo.lead.id
    link = f"https://ink.example/bookings/{token}.ics"
    assert link in body
    assert confirmation.fallback == TemplateIntent(  # outside the window the link goes too
        "inkwell_slot_booked", "en_GB", ("Tue 24 Nov, 14:00", "Inkwell Studio", link))


def test_B36_a_slot_taken_since_it_was_offered_gets_a_fresh_offer(convo: Convo) -> None:
    offered(convo, 8)
    fresh = tuple(slots(3, TUESDAY + timedelta(days=1)))
    d = decide(convo.lead, message(convo, "1"), convo.ctx(), booking=Taken(fresh))
    assert d.lead.status == Status.BOOKING_PENDING and d.transitions == ()
    assert d.lead.offered_slots == tuple(s.start for s in fresh)
    assert client(d) == ["slot_taken"]
    assert "1. Wed 25 Nov, 11:00" in texts(d)[0]


def test_B36_taken_with_nothing_left_asks_for_preferred_times(convo: Convo) -> None:
    offered(convo, 8)
    d = decide(convo.lead, message(convo, "1"), convo.ctx(), booking=Taken(()))
    assert d.lead.status == Status.COLLECTING_TIME_WINDOWS


def test_B37_a_failing_calendar_moves_to_preferred_times(convo: Convo) -> None:
    offered(convo, 8)
    d = decide(convo.lead, message(convo, "1"), convo.ctx(), booking=Unavailable())
    assert d.lead.status == Status.COLLECTING_TIME_WINDOWS
    assert client(d) == ["ask_time_windows"] and d.lead.offered_slots == ()


def test_B36_unclear_choices_are_repaired_then_handed_over(convo: Convo) -> None:
    offered(convo, 8)
    first, second, third = (convo.send(t) for t in ("hmm", "maybe later", "not sure"))
    assert client(first) == client(second) == ["repair_slot"]
    assert second.lead.parse_failures["slot"] == 2
    assert third.lead.status == Status.NEEDS_ARTIST_REPLY
    assert third.lead.handover_reason == "parse_failures" and artist(third) == ["artist_brief"]


def test_B8_stop_while_booking_opts_out(convo: Convo) -> None:
    offered(convo, 8)
    d = convo.send("STOP")
    assert d.lead.status == Status.OPTOUT and client(d) == ["optout_confirm"]


def test_B37_preferred_times_are_stored_and_given_to_the_artist(convo: Convo) -> None:
    paid(convo)
    b = Builder(convo.lead, convo.ctx(), actor="system")
    offer(b, None)
    convo.lead = b.build().lead
    d = convo.send("weekday evenings after 6")
    assert d.lead.answers["time_windows"].text == "weekday evenings after 6"
    assert d.lead.answers["time_windows"].value  # understood by the time-window parser
    assert client(d) == ["time_windows_received"] and artist(d) == ["artist_time_windows"]
    assert "weekday evenings after 6" in texts(d, "artist")[0]
    again = convo.send("or Saturdays")
    assert client(again) == [] and artist(again) == ["artist_time_windows"]
    assert again.lead.answers["time_windows"].text == "or Saturdays"


def test_B35_session_length_follows_the_size_class(convo: Convo) -> None:
    limits = convo.studio.limits
    assert session_length(convo.lead, convo.studio) == timedelta(
        minutes=limits.default_session_minutes)
    size = Answer(key="size", text="half sleeve", message_id="m", at=START,
                  value={"size_class": "half_sleeve"})
    convo.set(answers={"size": size})
    assert session_length(convo.lead, convo.studio) == timedelta(
        minutes=limits.session_minutes["half_sleeve"])


@pytest.mark.parametrize(
    ("status", "deposit_paid", "allowed"),
    [
        (Status.BOOKING_PENDING, True, True),
        (Status.COLLECTING_TIME_WINDOWS, True, True),
        (Status.NEEDS_ARTIST_REPLY, True, True),
        (Status.NEEDS_ARTIST_REPLY, False, False),
        (Status.AWAITING_DEPOSIT, False, False),
        (Status.BOOKED, True, False),
    ],
)
def test_B37_who_may_be_booked_by_hand(convo: Convo, status, deposit_paid, allowed) -> None:
    deposit = Deposit(amount=5000, currency="GBP", paid_at=START if deposit_paid else None)
    convo.set(status=status, deposit=deposit)
    assert may_book_by_hand(convo.lead) is allowed
