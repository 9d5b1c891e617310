"""The question sequence: B-10 to B-15 through decide()."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.inbound import Choice
from core.domain.outbound import ButtonsIntent
from core.domain.status import Status
from tests.unit.convo import AFTER_SUMMARY, HAPPY_ANSWERS, Convo, artist, client, texts


def test_B10_first_message_gets_welcome_and_first_question(convo: Convo) -> None:
    d = convo.send("Hi! I'd love a tattoo")
    assert d.lead.status == Status.QUALIFYING
    assert d.lead.step == 0
    assert client(d) == ["welcome", "ask_question"]
    assert convo.studio.questions[0].text in texts(d)[1]
    assert [(t.source, t.target) for t in d.transitions] == [("NEW", "QUALIFYING")]
    assert d.lead.times.qualifying_started == convo.now
    assert d.lead.times.question_sent == convo.now


def test_B11_B13_an_answer_is_stored_and_the_next_question_sent_with_the_advance(
    convo: Convo,
) -> None:
    convo.send("hi")
    d = convo.send("A swallow")
    assert d.lead.step == 1
    assert [a.key for a in d.answers] == ["idea"]
    assert d.answers[0].message_id == "wamid.2"
    assert d.lead.answers["idea"].text == "A swallow"
    assert client(d) == ["ask_question"]
    assert convo.studio.questions[1].text in texts(d)[0]


@pytest.mark.parametrize(
    ("step_answers", "bad", "repair"),
    [
        (HAPPY_ANSWERS[:2], "the usual", "repair_dimensions"),
        (HAPPY_ANSWERS[:7], "the blue one please", "repair_budget"),
        (HAPPY_ANSWERS[:8], "🙂🙂", "repair_location"),
        (HAPPY_ANSWERS[:4], "seven", "repair_complexity"),
        (HAPPY_ANSWERS[:5], "purple", "repair_yesno"),
    ],
)
def test_B12_parse_failure_repairs_without_advancing(
    convo: Convo, step_answers: list[str], bad: str, repair: str
) -> None:
    convo.walk(step_answers)
    step = convo.lead.step
    d = convo.send(bad)
    assert d.lead.step == step
    assert client(d) == [repair]
    key = convo.studio.questions[step].key
    assert d.lead.parse_failures[key] == 1
    assert d.lead.answers[key].text == bad  # stored before anything else (B-11)
    assert d.lead.status == Status.QUALIFYING


def test_B12_third_failure_hands_over_with_a_bridge_message(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("umm")
    convo.send("the usual")
    d = convo.send("banana")
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.handover_reason == "parse_failures"
    assert client(d) == ["handover_parse_failures"]
    assert artist(d) == ["artist_brief"]


def test_B12_a_good_answer_after_a_repair_advances(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[:2])
    convo.send("umm")
    d = convo.send("10 x 12")
    assert d.lead.step == 3
    assert d.lead.answers["size"].value == {"width_cm": 10.0, "height_cm": 12.0}


def test_B14_summary_before_the_last_questions_then_yes_continues(convo: Convo) -> None:
    d = convo.to_summary()
    assert client(d) == ["confirm_summary"]
    assert isinstance(d.outbound[0].intent, ButtonsIntent)
    summary = texts(d)[0]
    for answer in ("left forearm", "10 × 12 cm", "£400", "London, GB"):  # as understood
        assert answer in summary
    d = convo.send(Choice("confirm_yes", "Looks right"))
    assert client(d) == ["ask_question"]
    assert convo.studio.question_at(d.lead.step).key == "name"


def test_B14_a_correction_updates_the_latest_answer_and_resummarises(convo: Convo) -> None:
    convo.to_summary()
    d = convo.send("budget 600")
    assert client(d) == ["confirm_summary"]
    assert d.lead.answers["budget"].text == "600"
    assert d.lead.answers["budget"].value["min"] == 60000
    assert "600" in texts(d)[0]
    d = convo.send("no")
    assert client(d) == ["confirm_fix_prompt"]


def test_B14_an_unclear_reply_to_the_summary_is_repaired(convo: Convo) -> None:
    convo.to_summary()
    d = convo.send("banana")
    assert client(d) == ["repair_confirmation"]
    assert d.lead.awaiting_confirmation


def test_B15_qualified_lead_goes_to_pending_approval_and_the_artist_gets_the_brief(
    convo: Convo,
) -> None:
    d = convo.complete()
    assert d.lead.status == Status.PENDING_APPROVAL
    assert client(d) == ["completion_pending"]
    assert artist(d) == ["artist_completed"]
    assert d.lead.name == AFTER_SUMMARY[0]
    brief = texts(d, "artist")[0]
    assert "weekday afternoons" in brief and "left forearm" in brief


def test_B15_coverup_yes_hands_over_with_reason_coverup(convo: Convo) -> None:
    d = convo.complete(coverup="yes")
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.handover_reason == "coverup"
    assert client(d) == ["handover_coverup"]
    assert artist(d) == ["artist_brief"]


def test_B15_budget_below_minimum_needs_follow_up(convo: Convo) -> None:
    d = convo.complete(budget="£50")
    assert d.lead.status == Status.NEEDS_FOLLOW_UP
    assert client(d) == ["completion_below_budget"]
    assert artist(d) == ["artist_completed"]


def test_B15_budget_range_is_compared_by_its_minimum(convo: Convo) -> None:
    d = convo.complete(budget="100-500")
    assert d.lead.status == Status.NEEDS_FOLLOW_UP


def test_B15_other_currency_is_not_compared_as_the_studio_currency(convo: Convo) -> None:
    d = convo.complete(budget="$100")
    assert d.lead.answers["budget"].value["currency"] == "USD"
    assert d.lead.status == Status.PENDING_APPROVAL


def test_B15_outside_the_area_with_a_tour_stop_gets_the_offer(convo: Convo) -> None:
    stop = convo.studio.tours[0]
    d = convo.complete(location=f"{stop.city}")
    assert d.lead.status == Status.TOUR_CONVERSION_OFFERED
    assert client(d) == ["tour_offer"]
    assert stop.city in texts(d)[0]
    assert isinstance(d.outbound[0].intent, ButtonsIntent)


def test_B15_outside_the_area_without_a_tour_is_waitlisted(convo: Convo) -> None:
    d = convo.complete(location="Tokyo, Japan")
    assert d.lead.status == Status.WAITLISTED
    assert client(d) == ["waitlisted"]


def test_B15_flexible_location_is_inside_the_area(convo: Convo) -> None:
    d = convo.complete(location="anywhere")
    assert d.lead.status == Status.PENDING_APPROVAL


@pytest.mark.parametrize(
    ("reply", "status", "message"),
    [
        (Choice("tour_yes", "Yes"), Status.PENDING_APPROVAL, "tour_accepted"),
        ("yeah", Status.PENDING_APPROVAL, "tour_accepted"),
        ("nope", Status.WAITLISTED, "tour_declined"),
        (Choice("tour_no", "No"), Status.WAITLISTED, "tour_declined"),
    ],
)
def test_B16_tour_offer_answers(convo: Convo, reply: object, status: Status, message: str) -> None:
    convo.complete(location=convo.studio.tours[0].city)
    d = convo.send(reply)  # type: ignore[arg-type]
    assert d.lead.status == status
    assert client(d) == [message]


def test_B16_unclear_tour_reply_gets_one_repair_then_handover(convo: Convo) -> None:
    convo.complete(location=convo.studio.tours[0].city)
    d = convo.send("what time of year is that?")
    assert client(d) == ["tour_repair"]
    d = convo.send("hmm")
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.handover_reason == "tour_unclear"


def test_B13_completion_is_routed_again_if_the_step_is_past_the_end(convo: Convo) -> None:
    convo.complete()
    assert convo.lead.status == Status.PENDING_APPROVAL
    d = convo.send("thanks!", after=timedelta(minutes=5))
    assert d.lead.status == Status.PENDING_APPROVAL
    assert client(d) == ["awaiting_artist"]
