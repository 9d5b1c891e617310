"""Issue 11 through decide(): what the client receives and what is stored when clients
write as they really do (B-7, B-8, B-14, B-15, B-20, B-23, B-47)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from core.domain.brief import brief_params
from core.domain.inbound import LocationPin
from core.domain.status import Status
from tests.unit.convo import HAPPY_ANSWERS, Convo, artist, client, texts

STEP = {key: i for i, key in enumerate(
    ["idea", "placement", "size", "style", "complexity", "coverup", "reference_images",
     "budget", "location"])}


def at(convo: Convo, key: str) -> None:
    convo.walk(HAPPY_ANSWERS[: STEP[key]])
    assert convo.studio.questions[convo.lead.step].key == key


@pytest.mark.parametrize(
    ("key", "text", "understood"),
    [
        ("reference_images", "no pics, I trust your style", {"none": True}),
        ("reference_images", "don't have any yet", {"none": True}),
        ("reference_images", "will send a few tomorrow", {"later": True}),
        ("reference_images", "check my pinterest board", {"elsewhere": True}),
        ("style", "no idea really", {"text": "no idea really"}),
        ("style", "open to ideas", {"text": "open to ideas"}),
        ("complexity", "not sure", {"unsure": True}),
        ("complexity", "no idea really", {"unsure": True}),
        ("size", "12cm high, 9 across", {"width_cm": 9.0, "height_cm": 12.0}),
        ("size", "roughly a playing card", {"width_cm": 6.3, "height_cm": 8.8}),
        ("size", "A5", {"width_cm": 14.8, "height_cm": 21.0}),
        ("size", "size of a fist", {"width_cm": 8.0, "height_cm": 10.0}),
        ("size", "about hand length", {"size_class": "hand"}),
        ("budget", "max 600", {"min": 60000, "max": 60000, "bound": "at_most"}),
        ("budget", "no less than 250", {"min": 25000, "bound": "at_least"}),
        ("budget", "a few hundred", {"min": 30000, "max": 50000}),
        ("budget", "whatever it costs", {"flexible": True}),
        ("budget", "dunno", {"unsure": True}),
        ("location", "Manc", {"city": "Manchester", "country": "GB"}),
        ("location", "Edinbrugh", {"city": "Edinburgh", "country": "GB"}),
        ("location", "Newcastle", {"city": "Newcastle upon Tyne", "country": "GB"}),
        ("location", "somewhere in Kent", {"country": "GB"}),
        ("coverup", "yup defo", {"answer": True}),
        ("coverup", "I believe so", {"answer": True}),
        ("coverup", "ys", {"answer": True}),
    ],
)
def test_B11_answers_as_written_advance_without_repair_or_handover(
    convo: Convo, key: str, text: str, understood: dict[str, object]
) -> None:
    at(convo, key)
    d = convo.send(text)
    assert d.lead.status == Status.QUALIFYING
    assert d.lead.step > STEP[key]
    assert not any(p.startswith("repair") for p in client(d))
    value = d.lead.answers[key].value
    assert {k: value.get(k) for k in understood} == understood


def test_B20_hesitation_is_about_going_ahead(convo: Convo) -> None:
    at(convo, "style")
    d = convo.send("not sure I want it anymore")
    assert d.lead.status == Status.NEEDS_ARTIST_REPLY
    assert d.lead.handover_reason == "hesitation"


@pytest.mark.parametrize("text", ["open to ideas", "I'm open to anything", "no idea really"])
def test_B20_an_open_mind_is_an_answer_not_a_question(convo: Convo, text: str) -> None:
    at(convo, "style")
    d = convo.send(text)
    assert d.lead.status == Status.QUALIFYING and d.lead.answers["style"].text == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [("how much would it cost?", "price_question"),
     ("when are you free?", "scheduling_question"),
     ("what's your hourly rate", "price_question"),
     ("are you open on sundays?", "scheduling_question"),
     ("can you fit me in next week?", "scheduling_question"),
     ("is there a waiting list?", "scheduling_question")],
)
def test_B20_price_and_scheduling_questions_still_hand_over(
    convo: Convo, text: str, reason: str
) -> None:
    at(convo, "style")
    assert convo.send(text).lead.handover_reason == reason


def test_B15_somewhere_in_kent_is_home_not_the_new_york_tour(convo: Convo) -> None:
    d = convo.complete(location="somewhere in Kent")
    assert d.lead.status == Status.PENDING_APPROVAL
    assert "tour_offer" not in client(d)


def test_B15_newcastle_is_newcastle_upon_tyne_for_a_london_studio(convo: Convo) -> None:
    d = convo.complete(location="Newcastle")
    assert d.lead.answers["location"].value == {"city": "Newcastle upon Tyne", "country": "GB"}
    assert d.lead.status == Status.PENDING_APPROVAL


def test_B15_an_open_budget_is_not_below_the_minimum(convo: Convo) -> None:
    assert convo.complete(budget="whatever it costs").lead.status == Status.PENDING_APPROVAL


def test_B15_outside_the_uk_is_not_stored_as_gb(convo: Convo) -> None:
    at(convo, "location")
    d = convo.send("outside the UK")
    assert d.lead.answers["location"].value is None
    assert client(d) == ["repair_location"]


@pytest.mark.parametrize("word", ["CONTINUE", "continue", "START", "start"])
@pytest.mark.parametrize("key", ["idea", "placement"])
def test_B8_resume_words_out_of_context_re_ask_and_store_nothing(
    convo: Convo, word: str, key: str
) -> None:
    at(convo, key)
    d = convo.send(word)
    assert key not in d.lead.answers
    assert d.lead.step == STEP[key]
    assert client(d) == ["resume"]
    assert convo.studio.questions[STEP[key]].text in texts(d)[0]


def test_names_are_stored_without_the_smiley(convo: Convo) -> None:
    convo.to_summary()
    convo.send("yes")
    d = convo.send("Its Ellie :)")
    assert d.lead.name == "Ellie"
    assert d.lead.answers["name"].value == {"name": "Ellie"}


# -- B-47 details volunteered early --------------------------------------------------------
FIRST = "Hey, after a small blackwork snake on my ankle, 6x3cm or so, could spend about £200"


def test_B47_first_message_details_are_kept_and_their_questions_skipped(convo: Convo) -> None:
    d = convo.send(FIRST)
    assert client(d) == ["welcome_understood", "ask_question"]
    values = {k: a.value for k, a in d.lead.answers.items()}
    assert values["placement"] == {"text": "ankle"}
    assert values["size"] == {"width_cm": 6.0, "height_cm": 3.0}
    assert values["style"] == {"text": "blackwork"}
    assert values["budget"] == {"min": 20000, "max": 20000, "currency": "GBP"}
    assert d.lead.answers["idea"].text == FIRST
    welcome = texts(d)[0]
    assert "ankle" in welcome and "6 × 3 cm" in welcome and "£200" in welcome
    # none of those is asked again: complexity is the first question left
    assert convo.studio.questions[d.lead.step].key == "complexity"
    asked = [convo.send(t) for t in ("2", "no", "none")][-1]
    assert convo.studio.questions[asked.lead.step].key == "location"


@pytest.mark.parametrize(
    ("first", "size"),
    [
        ("Hi! a fine line rose on my inner forearm, about 8cm tall and 4 wide, max 300",
         {"width_cm": 4.0, "height_cm": 8.0}),
        ("Hi, a 12cm high, 9 across snake on my calf please",
         {"width_cm": 9.0, "height_cm": 12.0}),
    ],
)
def test_B47_a_size_volunteered_by_its_sides_keeps_both(
    convo: Convo, first: str, size: dict[str, float]
) -> None:
    """Not the square of the first number: "8cm tall and 4 wide" is 4 by 8."""
    d = convo.send(first)
    assert d.lead.answers["size"].value == size


@pytest.mark.parametrize(
    ("first", "key", "value"),
    [
        ("Hi! a fine line butterfly behind my ear, maybe 4cm. I'm in Leeds", "location",
         {"city": "Leeds", "country": "GB"}),
        ("my dog's name in script on my wrist, really small", "size", {"size_class": "small"}),
        ("Realism portrait of my nan, about A5 size, on my calf", "size",
         {"width_cm": 14.8, "height_cm": 21.0}),
        ("a rose on my hip, budget's flexible", "budget", {"currency": "GBP", "flexible": True}),
    ],
)
def test_B47_details_said_in_passing_are_kept(
    convo: Convo, first: str, key: str, value: dict[str, object]
) -> None:
    d = convo.send(first)
    assert d.lead.answers[key].value == value


def test_B47_a_place_said_in_passing_later_fills_the_location(convo: Convo) -> None:
    at(convo, "coverup")
    d = convo.send("no, I'm in Leeds btw")
    assert d.lead.answers["coverup"].value == {"answer": False}
    assert d.lead.answers["location"].value == {"city": "Leeds", "country": "GB"}


def test_B47_a_measurement_beats_a_size_word_said_before_it(convo: Convo) -> None:
    d = convo.send("a really small snake on my ankle, 6x3cm or so")
    assert d.lead.answers["size"].value == {"width_cm": 6.0, "height_cm": 3.0}


def test_B47_summary_shows_volunteered_details_and_a_wrong_guess_is_corrected(
    convo: Convo,
) -> None:
    convo.send(FIRST)
    for text in ("2", "no", "none"):
        convo.send(text)
    d = convo.send("London")
    assert client(d) == ["confirm_summary"]
    assert "ankle" in texts(d)[0] and "blackwork" in texts(d)[0]
    d = convo.send("oh wait the budget should be £600")
    assert d.lead.answers["budget"].value == {"min": 60000, "max": 60000, "currency": "GBP"}
    assert client(d) == ["confirm_summary"]
    d = convo.send("actually it's 15x10cm")
    assert d.lead.answers["size"].value == {"width_cm": 15.0, "height_cm": 10.0}


def test_B47_details_later_fill_only_unanswered_questions(convo: Convo) -> None:
    convo.send("hi")
    convo.send("a rose")  # idea
    convo.send("left forearm")  # placement, answered explicitly
    d = convo.send("10x12cm, it'd go on my ankle really, fine line")  # size + more
    assert d.lead.answers["placement"].text == "left forearm"  # never overwritten
    assert d.lead.answers["style"].value == {"text": "fine line"}
    assert convo.studio.questions[d.lead.step].key == "complexity"  # style skipped


def test_B47_an_explicit_later_answer_wins_over_a_volunteered_one(convo: Convo) -> None:
    convo.send(FIRST)
    for text in ("2", "no", "none", "London"):
        convo.send(text)
    d = convo.send("budget: max 300")
    assert d.lead.answers["budget"].value["bound"] == "at_most"


# -- B-14 corrections ----------------------------------------------------------------------
def test_B14_correction_survives_text_whose_casefold_changes_length(convo: Convo) -> None:
    convo.to_summary()
    d = convo.send("Location: Hauptstraße 5, Berlin")
    assert d.lead.answers["location"].text == "Hauptstraße 5, Berlin"
    assert d.lead.answers["location"].value == {"city": "Berlin", "country": "DE"}


@pytest.mark.parametrize(
    ("text", "key", "new"),
    [
        ("oh wait the budget should be £600", "budget", "£600"),
        ("sorry, the size is actually 15x20cm", "size", "15x20cm"),
        ("change my location to Leeds", "location", "Leeds"),
        ("placement: upper arm", "placement", "upper arm"),
        ("change the placement to my left ankle", "placement", "left ankle"),
        ("placement should be on my ribs", "placement", "ribs"),
        ("the location is wrong, it's Bristol", "location", "Bristol"),
        ("wrong budget, should be 450", "budget", "450"),
        ("Größe ändern: no wait, size 8x8", "size", "8x8"),
    ],
)
def test_B14_corrections_in_plain_words(convo: Convo, text: str, key: str, new: str) -> None:
    convo.to_summary()
    d = convo.send(text)
    assert d.lead.answers[key].text == new
    assert client(d) == ["confirm_summary"]


def test_B14_naming_a_question_without_a_value_asks_what_to_change(convo: Convo) -> None:
    convo.to_summary()
    d = convo.send("change style")
    assert client(d) == ["confirm_fix_prompt"] and not d.lead.parse_failures


@pytest.mark.parametrize(
    "text",
    ["looks good", "all good!", "perfect thanks", "spot on", "that's all correct",
     "Looks great to me x", "everything is right", "yep all fine"],
)
def test_B14_agreement_in_plain_words_confirms_the_summary(convo: Convo, text: str) -> None:
    convo.to_summary()
    d = convo.send(text)
    assert d.lead.confirmed and client(d) == ["ask_question"]


@pytest.mark.parametrize("text", ["looks good but the size is 10x12cm", "not good", "no"])
def test_B14_agreement_that_goes_on_to_change_something_is_not_a_yes(
    convo: Convo, text: str
) -> None:
    convo.to_summary()
    d = convo.send(text)
    assert not d.lead.confirmed


def test_B23_times_given_for_the_name_are_not_stored_as_the_name(convo: Convo) -> None:
    convo.to_summary()
    convo.send("looks good")
    d = convo.send("weekday evenings after 6")
    assert d.lead.name is None and d.lead.answers["name"].value is None
    assert client(d) == ["repair_name"] and d.lead.parse_failures == {"name": 1}


# -- B-7 location pins ---------------------------------------------------------------------
def test_B7_a_bare_pin_answers_with_the_nearest_city(convo: Convo) -> None:
    at(convo, "location")
    d = convo.send(LocationPin(53.4808, -2.2426))
    assert d.lead.answers["location"].value == {"city": "Manchester", "country": "GB"}
    assert client(d) == ["confirm_summary"]


# -- B-23 the brief ------------------------------------------------------------------------
def test_B23_parse_failures_clear_once_the_answer_succeeds(convo: Convo) -> None:
    at(convo, "size")
    convo.send("hmm")
    assert convo.lead.parse_failures == {"size": 1}
    d = convo.send("10x12cm")
    assert d.lead.parse_failures == {}
    d = convo.send("how much is it?")  # hand over: the brief shows no stale failures
    assert "failures: none" in brief_failures(d.lead, convo)


def brief_failures(lead: object, convo: Convo) -> str:
    return "failures: " + brief_params(lead, convo.ctx())["failures"]  # type: ignore[arg-type]


def test_B23_a_blank_name_does_not_leave_an_empty_client_line(convo: Convo) -> None:
    at(convo, "size")
    d = convo.send("how much would it cost?")
    brief = texts(d, "artist")[0]
    assert "Client: 447911123456" in brief
    assert "Client:  ·" not in brief
    assert artist(d) == ["artist_brief"]


def test_B23_the_brief_shows_understood_values(convo: Convo) -> None:
    d = convo.complete(budget="max 600", size="12cm high, 9 across")
    brief = texts(d, "artist")[0]
    assert "- Budget: max 600 → up to £600" in brief
    assert "- Size: 12cm high, 9 across → 9 × 12 cm" in brief


# -- limits are profile fields (issue 6) ---------------------------------------------------
def _with_limits(convo: Convo, **limits: object) -> Convo:
    studio = msgspec.structs.replace(
        convo.studio, limits=msgspec.structs.replace(convo.studio.limits, **limits))
    return Convo(studio, convo.gazetteer)


def test_B20_the_complexity_cut_off_is_a_profile_field(convo: Convo) -> None:
    strict = _with_limits(convo, handover_complexity=2)
    at(strict, "complexity")
    assert strict.send("2").lead.handover_reason == "complexity"
    at(convo, "complexity")
    assert convo.send("2").lead.status == Status.QUALIFYING


def test_B18_the_large_area_is_a_profile_field(convo: Convo) -> None:
    small = _with_limits(convo, large_area_cm2=100.0)  # 10x12cm is large for this studio
    at(small, "complexity")
    assert small.send("2").lead.handover_reason == "complexity"


def test_B8_the_keyword_length_limit_is_a_profile_field(convo: Convo) -> None:
    short = _with_limits(convo, keyword_max_chars=5)
    short.send("hi")
    assert short.send("STOP please").lead.status == Status.QUALIFYING  # longer than 5
    assert short.send("STOP").lead.status == Status.OPTOUT


def test_limits_of_issue_11_are_read_from_the_profiles(studio: object) -> None:
    from adapters.profile import load_studio

    tiny = load_studio(Path(__file__).parent / "fixtures" / "minimal_studio.yaml")
    for loaded in (studio, tiny):
        limits = loaded.limits  # type: ignore[attr-defined]
        assert (limits.large_area_cm2, limits.handover_complexity, limits.keyword_max_chars) == (
            400.0, 3, 300)


def test_B47_a_first_message_with_only_a_place_keeps_the_place_not_an_idea(convo: Convo) -> None:
    d = convo.send("Hi, I'm Ellie, based in Leeds")
    assert d.lead.answers["location"].value == {"city": "Leeds", "country": "GB"}
    assert "idea" not in d.lead.answers
    assert client(d) == ["welcome_understood", "ask_question"]
    assert convo.studio.questions[d.lead.step].key == "idea"
