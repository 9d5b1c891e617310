"""Handover: B-8 keywords, B-20 policy through decide, B-21, B-22, B-23, B-2."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from core.domain.links import verify_action
from core.domain.status import Status
from tests.unit.convo import HAPPY_ANSWERS, Convo, artist, client, texts


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        ("HUMAN", "client_asked", "handover_client_asked"),
        ("talk to someone", "client_asked", "handover_client_asked"),
        ("Artist!", "client_asked", "handover_client_asked"),
        ("REFUND", "refund", "refund_ack"),
        ("delete my data", "erasure_request", "erasure_ack"),
        ("GDPR", "erasure_request", "erasure_ack"),
    ],
)
def test_B8_keywords_hand_over_from_qualifying(
    convo: Convo, text: str, reason: str, message: str
) -> None:
    convo.walk(HAPPY_ANSWERS[:3])
    d = convo.send(text)
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.handover_reason == reason
    assert client(d) == [message]
    assert artist(d) == ["artist_brief"]
    assert d.lead.step == 3  # no advance


def test_B8_keyword_on_first_contact_starts_then_hands_over(convo: Convo) -> None:
    d = convo.send("human")
    assert [(t.source, t.target) for t in d.transitions] == [
        ("NEW", "QUALIFYING"), ("QUALIFYING", "NEEDS_ARTIST_REPLY")]


@pytest.mark.parametrize(
    ("step", "text", "reason"),
    [
        (4, "3", "complexity"),
        (0, "I want to cover up an old tattoo", "coverup"),
        (0, "a rework of my old piece", "coverup"),
        (1, "how much would a forearm piece cost?", "price_question"),
        (3, "when are you free next month?", "scheduling_question"),
        (0, "not sure I want it yet", "hesitation"),
        (2, "maybe later", "hesitation"),
    ],
)
def test_B20_policy_hands_over_and_names_the_reason(
    convo: Convo, step: int, text: str, reason: str
) -> None:
    convo.walk(HAPPY_ANSWERS[:step])
    d = convo.send(text)
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.handover_reason == reason
    assert d.lead.answers[convo.studio.questions[step].key].text == text  # stored first (B-11)
    assert client(d) == ["handover_default" if reason != "coverup" else "handover_coverup"]


def test_B20_long_question_hands_over(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:1])
    question = "I was wondering " + "whether the placement would work with my scar " * 3 + "?"
    d = convo.send(question)
    assert d.lead.handover_reason == "long_question"


def test_B18_large_size_class_with_medium_complexity_hands_over(convo: Convo) -> None:
    convo.walk(["a dragon", "back", "full back", "japanese"])
    d = convo.send("2")
    assert d.lead.handover_reason == "complexity"


def test_B22_while_handed_over_nothing_is_parsed_and_holding_replies_respect_cooldown(
    convo: Convo,
) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("human")
    d = convo.send("10x12cm")  # looks like an answer, but the bot is paused
    assert d.lead.step == 2 and "size" not in d.lead.answers
    assert client(d) == []  # the handover message itself was the hold
    d = convo.send("hello?", after=timedelta(hours=6, minutes=1))
    assert client(d) == ["hold_reply"]
    d = convo.send("anyone?", after=timedelta(hours=1))
    assert client(d) == []
    d = convo.send("???", after=timedelta(hours=5, minutes=1))
    assert client(d) == ["hold_reply"]
    assert artist(d) == ["artist_message"]  # the artist holds the chat: every message reaches them


def test_B22_continue_resumes_and_re_asks_the_current_question(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("human")
    d = convo.send("CONTINUE")
    assert d.lead.status == Status.QUALIFYING
    assert client(d) == ["resume"]
    assert convo.studio.questions[2].text in texts(d)[0]
    d = convo.send("10x12cm")
    assert d.lead.step == 3


def test_B21_second_handover_after_continue_notifies_the_artist_again(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    first = convo.send("human")
    convo.send("continue")
    second = convo.send("talk to someone")
    assert artist(first) == ["artist_brief"] and artist(second) == ["artist_brief"]
    assert second.lead.times.artist_notified == convo.now


def test_B22_stop_during_handover_opts_out(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("human")
    d = convo.send("STOP")
    assert d.lead.status == Status.OPTOUT
    assert client(d) == ["optout_confirm"]


def test_B23_brief_has_everything_the_artist_needs(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("banana")
    d = convo.send("can I talk to the artist about sizing please?")
    brief = texts(d, "artist")[0]
    assert d.outbound[-1].to == convo.studio.artist_number
    for expected in (convo.lead.id, convo.lead.contact, "client_asked", "left forearm",
                     "size x1", "banana"):
        assert expected in brief
    token = brief.split("/a/")[1].split()[0]
    assert verify_action(b"test-secret", token, convo.now) == (convo.lead.id, "approve")
    assert verify_action(b"test-secret", token, convo.now + timedelta(days=8)) is None
    assert verify_action(b"other-secret", token, convo.now) is None


def test_B23_brief_lists_the_last_five_messages_in_order(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:6])
    d = convo.send("human")
    assert d.lead.recent == (*HAPPY_ANSWERS[2:6], "human")


def test_B2_unknown_stored_status_goes_to_the_artist_not_to_new(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:3])
    convo.set(status="BOOKING_LINK_SENT")
    d = convo.send("hello")
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.step == 3 and d.lead.answers  # nothing reset
    assert [e.kind for e in d.events if e.level == "error"] == ["unknown_status"]
    assert artist(d) == ["artist_brief"]
    assert msgspec.structs.asdict(d.transitions[0])["source"] == "BOOKING_LINK_SENT"


def test_B22_a_message_while_handed_over_reaches_the_artist(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("human")
    d = convo.send("my sister wants one too, same day?")
    assert client(d) == []  # the handover message was the hold; the cooldown runs
    assert artist(d) == ["artist_message"]
    assert "my sister wants one too, same day?" in texts(d, "artist")[0]


def test_B16_a_declined_tour_lead_s_later_messages_reach_the_artist(convo: Convo) -> None:
    convo.complete(location=convo.studio.tours[0].city)
    assert convo.lead.status == Status.TOUR_CONVERSION_OFFERED
    declined = convo.send("no thanks")
    assert declined.lead.status == Status.WAITLISTED
    assert artist(declined) == ["artist_completed"]  # the decline itself reaches the artist
    assert "declined" in texts(declined, "artist")[0]
    d = convo.send("actually I could come to London in June")
    assert artist(d) == ["artist_message"]
    assert "I could come to London in June" in texts(d, "artist")[0]
    assert client(d) == ["awaiting_artist"]


def test_B2_a_data_fault_lead_s_later_messages_reach_the_artist(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:3])
    convo.set(status="BOOKING_LINK_SENT")
    convo.send("hello")
    d = convo.send("is anyone there? I paid already")
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert artist(d) == ["artist_message"]
    assert "I paid already" in texts(d, "artist")[0]


def test_B23_B40_the_brief_of_an_erasure_request_carries_an_erase_link_and_opens_the_inbox(
    convo: Convo,
) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    brief = texts(convo.send("delete my data"), "artist")[0]
    assert "erase: https://ink.example/a/" in brief
    assert f"open: https://ink.example/inbox/leads/{convo.lead.id}" in brief
    ordinary = Convo(convo.studio, convo.gazetteer, contact="447911000009")
    ordinary.walk(HAPPY_ANSWERS[:2])
    assert "erase:" not in texts(ordinary.send("HUMAN"), "artist")[0]
