"""B-8 opt-out and restart, B-9 panic and pilot modes, B-4 ordering, B-5 split, B-7 media."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from core.domain.inbound import LocationPin, Media, Unsupported
from core.domain.profile import Modes
from core.domain.status import Status
from tests.unit.convo import HAPPY_ANSWERS, Convo, artist, client


def test_B8_stop_opts_out_with_one_confirmation_and_then_silence(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:3])
    d = convo.send("STOP!!! 🛑")
    assert d.lead.status == Status.OPTOUT
    assert client(d) == ["optout_confirm"]
    for text in ("why", "stop", "10x12cm", "hello?"):
        assert convo.send(text).outbound == ()
    assert convo.lead.status == Status.OPTOUT


def test_B8_start_after_optout_restarts_at_step_zero_with_marks_cleared(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:3])
    convo.send("human")
    convo.send("unsubscribe")
    d = convo.send("START")
    assert d.lead.status == Status.QUALIFYING
    assert d.lead.step == 0 and d.lead.answers == {} and d.lead.parse_failures == {}
    assert d.lead.handover_reason is None
    assert d.lead.times.handover_entered is None and d.lead.times.artist_notified is None
    assert client(d) == ["welcome", "ask_question"]
    assert [(t.source, t.target) for t in d.transitions] == [
        ("OPTOUT", "NEW"), ("NEW", "QUALIFYING")]


def test_B8_yes_and_continue_also_restart_after_optout(convo: Convo) -> None:
    for word in ("yes", "continue", "resume"):
        convo.send("stop")
        assert convo.send(word).lead.status == Status.QUALIFYING


def test_B9_panic_mode_one_reply_per_cooldown_and_the_artist_alerted(convo: Convo) -> None:
    convo.studio = msgspec.structs.replace(convo.studio, modes=Modes(panic=True))
    d = convo.send("hi there")
    assert client(d) == ["panic_reply"] and artist(d) == ["artist_panic_alert"]
    assert d.lead.status == Status.NEW  # no flow logic
    assert convo.send("hello?").outbound == ()
    d = convo.send("anyone?", after=timedelta(hours=7))
    assert client(d) == ["panic_reply"]


def test_B9_pilot_mode_only_allowlisted_numbers_reach_the_flow(convo: Convo) -> None:
    convo.studio = msgspec.structs.replace(
        convo.studio, modes=Modes(pilot=True, pilot_allowlist=("447000000001",)))
    d = convo.send("hi")
    assert client(d) == ["pilot_notice"] and d.lead.status == Status.NEW
    assert convo.send("hello again").outbound == ()
    allowed = Convo(convo.studio, convo.gazetteer, contact="447000000001")
    assert client(allowed.send("hi")) == ["welcome", "ask_question"]


def test_B4_an_older_message_is_recorded_but_does_not_advance(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    before = convo.lead
    d = convo.send("10x12cm", at=before.times.last_client_message - timedelta(minutes=5))
    # The client receives nothing; nothing they answered changes; the fact is recorded.
    assert d.outbound == () and d.answers == () and d.transitions == ()
    assert d.lead.step == before.step and d.lead.answers == before.answers
    assert d.lead.times.last_client_message == before.times.last_client_message
    assert [e.kind for e in d.events] == ["out_of_order"]


def test_B5_a_message_written_before_the_question_was_sent_joins_the_previous_answer(
    convo: Convo,
) -> None:
    convo.send("hi")
    # The client sends two quick messages; the webhook of the first arrives 5 s late,
    # so the placement question is decided after both were written.
    written = convo.now + timedelta(minutes=1)
    first = convo.send("A swallow", after=timedelta(minutes=1, seconds=5),
                       at=written.replace(microsecond=0))
    assert first.lead.times.question_sent > written + timedelta(seconds=2)
    d = convo.send("with a banner saying Mum", after=timedelta(0),
                   at=(written + timedelta(seconds=2)).replace(microsecond=0))
    assert d.outbound == ()
    assert d.lead.step == 1
    assert d.lead.answers["idea"].text == "A swallow\nwith a banner saying Mum"
    d = convo.send("left forearm")
    assert d.lead.step == 2 and d.lead.answers["placement"].text == "left forearm"


def test_B5_split_before_the_first_question_is_recorded_only(convo: Convo) -> None:
    first = convo.send("hi")
    d = convo.send("I want a tattoo", after=timedelta(0),
                   at=first.lead.times.question_sent - timedelta(seconds=1))
    assert d.outbound == () and d.lead.step == 0


def test_B7_an_image_is_kept_as_reference_and_noted_once(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    d = convo.send(Media("image", "media-1", caption="like this"))
    assert d.lead.references == ("media-1",)
    assert client(d) == ["media_noted"] and d.lead.step == 2
    d = convo.send(Media("image", "media-2"))
    assert client(d) == [] and d.lead.references == ("media-1", "media-2")


def test_B7_the_reference_question_accepts_images_as_its_answer(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:6])
    d = convo.send(Media("image", "media-9"))
    assert d.lead.step == 7
    assert d.lead.answers["reference_images"].media == ("media-9",)


def test_B7_stickers_audio_and_reactions_get_one_friendly_text_request(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:1])
    assert client(convo.send(Media("sticker", "s1"))) == ["nontext_notice"]
    assert client(convo.send(Media("audio", "a1"))) == []
    assert client(convo.send(Unsupported("reaction"))) == []
    assert convo.lead.step == 1 and convo.lead.status == Status.QUALIFYING


def test_B7_a_location_pin_answers_the_location_question(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:8])
    d = convo.send(LocationPin(51.5, -0.12, name="London", address="Shoreditch, London"))
    assert d.lead.answers["location"].value["country"] == "GB"
    assert client(d) == ["confirm_summary"]
