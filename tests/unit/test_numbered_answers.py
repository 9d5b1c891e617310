"""B-31: buttons shown as numbered text are answered by their number, on any provider."""

from __future__ import annotations

from core.domain.inbound import Choice, Inbound, Text
from core.domain.lead import Lead, new_lead
from core.domain.numbered import numbered_choice
from core.domain.outbound import Button, ButtonsIntent, plain_text
from core.domain.status import Status
from tests.unit.convo import HAPPY_ANSWERS, KEYS, START, Convo

YES_NO = (Button("yes", "Yes"), Button("no", "No"))


def _to_coverup(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[: KEYS.index("coverup")])


def test_B31_the_yes_no_question_is_shown_with_numbers_and_remembered(convo: Convo) -> None:
    _to_coverup(convo)

    [question] = [m for m in convo.decisions[-1].outbound if m.purpose == "ask_question"]
    assert isinstance(question.intent, ButtonsIntent)
    assert plain_text(question.intent).endswith("1. Yes\n2. No")
    assert [b.id for b in convo.lead.offered] == ["yes", "no"]


def test_B31_a_typed_2_answers_no_to_the_yes_no_question(convo: Convo) -> None:
    _to_coverup(convo)

    convo.send("2")

    answer = convo.lead.answers["coverup"]
    assert (answer.text, answer.value) == ("no", {"answer": False})
    assert convo.lead.step == KEYS.index("coverup") + 1


def test_B31_a_typed_1_answers_yes(convo: Convo) -> None:
    _to_coverup(convo)

    convo.send("1.")

    assert convo.lead.answers["coverup"].value == {"answer": True}


def test_B31_after_a_plain_question_a_number_is_just_the_answer(convo: Convo) -> None:
    convo.walk(HAPPY_ANSWERS[: KEYS.index("complexity")])
    assert convo.lead.offered == ()  # the complexity question is text: nothing numbered

    convo.send("2")

    assert convo.lead.answers["complexity"].text == "2"


def test_B31_the_summary_is_confirmed_by_its_number(convo: Convo) -> None:
    convo.to_summary()
    assert convo.lead.awaiting_confirmation

    convo.send("1")

    assert convo.lead.confirmed and not convo.lead.awaiting_confirmation


def test_B31_the_whole_conversation_answered_by_numbers_reaches_approval(convo: Convo) -> None:
    answers = dict(zip(KEYS, HAPPY_ANSWERS, strict=True))
    answers["coverup"] = "2"
    convo.walk(list(answers.values()))
    convo.send("1")  # the summary: "1. Looks right"
    convo.send("Zoë")
    convo.send("weekday afternoons")

    assert convo.lead.status == Status.PENDING_APPROVAL
    assert convo.lead.answers["coverup"].value == {"answer": False}


def _lead(offered: tuple[Button, ...]) -> Lead:
    lead = new_lead("l", "s", "447911123456", START)
    return Lead(**{**{f: getattr(lead, f) for f in lead.__struct_fields__}, "offered": offered})


def _text(body: str) -> Inbound:
    return Inbound(message_id="m", studio="s", contact="c", at=START, content=Text(body))


def test_B31_numbers_in_their_usual_shapes_pick_the_option() -> None:
    lead = _lead(YES_NO)
    for body in ("2", " 2 ", "2)", "#2", "(2)", "2\ufe0f\u20e3"):
        assert numbered_choice(lead, _text(body)).content == Choice("no", "No"), body


def test_B31_anything_else_is_left_alone() -> None:
    lead = _lead(YES_NO)
    for body in ("3", "0", "2 please", "12x15", "22", ""):
        assert numbered_choice(lead, _text(body)).content == Text(body), body
    assert numbered_choice(_lead(()), _text("1")).content == Text("1")


def test_B31_a_plain_text_reply_forgets_the_options(convo: Convo) -> None:
    _to_coverup(convo)
    convo.send("what do you mean by cover-up?")  # a question: the artist takes over, in text

    assert convo.lead.status == Status.NEEDS_ARTIST_REPLY
    assert convo.lead.offered == ()
    convo.send("1")  # no longer an answer to the old buttons: kept as text, no "yes"
    assert convo.lead.answers["coverup"].text == "what do you mean by cover-up?"
    assert convo.lead.recent[-1] == "1"
