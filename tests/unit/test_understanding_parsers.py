"""Issue 11: parsers read clients the way they really write (B-17, B-18, B-19a, B-19b, names,
references, complexity, time windows). Every example of the issue is here, with more like it."""

from __future__ import annotations

import pytest

from adapters.gazetteer import GeonamesGazetteer
from core.domain.parsers import (
    Complexity,
    Failure,
    Money,
    Name,
    OpenBudget,
    Place,
    References,
    Size,
    TimeWindows,
    Window,
    YesNo,
    parse_budget,
    parse_complexity,
    parse_location,
    parse_name,
    parse_references,
    parse_size,
    parse_time_windows,
    parse_yesno,
)

UK = ("GB",)  # a London studio: its country first (prefer the studio's country)


@pytest.fixture(scope="module")
def gaz() -> GeonamesGazetteer:
    gazetteer = GeonamesGazetteer()
    gazetteer.warm_up()
    return gazetteer


# -- B-18 sizes in words -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12cm high, 9 across", Size(9.0, 12.0)),
        ("9 across, 12cm high", Size(9.0, 12.0)),
        ("15cm long and 5 wide", Size(5.0, 15.0)),
        ("4 inches tall and 3 wide", Size(7.6, 10.2)),
        ("width 5cm, height 8cm", Size(5.0, 8.0)),
        ("roughly a playing card", Size(6.3, 8.8)),
        ("about the size of a credit card", Size(5.4, 8.6)),
        ("A5", Size(14.8, 21.0)),
        ("a4 size", Size(21.0, 29.7)),
        ("size of a fist", Size(8.0, 10.0)),
        ("about the size of my phone", Size(7.0, 14.5)),
        ("like a postcard", Size(10.0, 15.0)),
        ("about hand length", Size(size_class="hand")),
        ("credit card size", Size(5.4, 8.6)),
        ("the length of my hand", Size(size_class="hand")),
    ],
)
def test_B18_sizes_in_words(text: str, expected: Size) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("my phone number is 0777", "incomplete"), ("a5 or a4", "ambiguous")],
)
def test_B18_objects_only_when_compared_to(text: str, reason: str) -> None:
    assert parse_size(text) == Failure(reason)


# -- B-17 budgets with qualifiers ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("max 600", Money(60000, 60000, "GBP", "at_most")),
        ("below £300", Money(30000, 30000, "GBP", "at_most")),
        ("up to 1k", Money(100000, 100000, "GBP", "at_most")),
        ("no more than 450", Money(45000, 45000, "GBP", "at_most")),
        ("£500 tops", Money(50000, 50000, "GBP", "at_most")),
        ("budget is about 400 max", Money(40000, 40000, "GBP", "at_most")),
        ("700 or more", Money(70000, 70000, "GBP", "at_least"))  ,
        ("no less than 250", Money(25000, 25000, "GBP", "at_least")),
        ("at least €300", Money(30000, 30000, "EUR", "at_least")),
        ("£400+", Money(40000, 40000, "GBP", "at_least")),
        ("over 500", Money(50000, 50000, "GBP", "at_least")),
        ("around 400", Money(40000, 40000, "GBP")),  # no qualifier: a plain amount
        ("400-500 max", Money(40000, 50000, "GBP")),  # a range keeps its bounds
        ("a few hundred", Money(30000, 50000, "GBP")),
        ("a couple hundred quid", Money(20000, 30000, "GBP")),
        ("a few grand", Money(300000, 500000, "GBP")),
        ("half a grand", Money(50000, 50000, "GBP")),  # not a grand
        ("under a ton", Money(10000, 10000, "GBP", "at_most")),  # a ton: £100
    ],
)
def test_B17_budget_qualifiers_and_vague_amounts(text: str, expected: Money) -> None:
    assert parse_budget(text, "GBP") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("whatever it costs", OpenBudget(currency="GBP", flexible=True)),
        ("no limit really", OpenBudget(currency="GBP", flexible=True)),
        ("money's no object", OpenBudget(currency="GBP", flexible=True)),
        ("price doesn't matter", OpenBudget(currency="GBP", flexible=True)),
        ("dunno", OpenBudget(currency="GBP", unsure=True)),
        ("no idea", OpenBudget(currency="GBP", unsure=True)),
        ("not sure yet", OpenBudget(currency="GBP", unsure=True)),
        ("haven't thought about it", OpenBudget(currency="GBP", unsure=True)),
    ],
)
def test_B17_budget_without_a_figure_is_an_answer(text: str, expected: OpenBudget) -> None:
    assert parse_budget(text, "GBP") == expected


# -- B-19a places near the studio ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Manc", Place(city="Manchester", country="GB")),
        ("Edinbrugh", Place(city="Edinburgh", country="GB")),
        ("Manchestr", Place(city="Manchester", country="GB")),
        ("living in Birmingam", Place(city="Birmingham", country="GB")),
        ("somewhere in Kent", Place(country="GB")),
        ("near Cornwall", Place(country="GB")),
        ("Newcastle", Place(city="Newcastle upon Tyne", country="GB")),
        ("Ldn", Place(city="London", country="GB")),
        ("just outside Manchester", Place(city="Manchester", country="GB")),  # near it
        ("20 mins outside Leeds", Place(city="Leeds", country="GB")),
        ("central ldn", Place(city="London", country="GB")),
        ("mcr", Place(city="Manchester", country="GB")),
        ("B'ham", Place(city="Birmingham", country="GB")),
        ("Perth", Place(city="Perth", country="GB")),
        ("Paris", Place(city="Paris", country="FR")),  # no UK Paris: the famous one
        ("Newcastle, Australia", Place(city="Newcastle", country="AU")),  # said so
        ("I live outside the UK, in Lyon", Place(city="Lyon", country="FR")),
    ],
)
def test_B19a_places_prefer_the_studios_country(
    gaz: GeonamesGazetteer, text: str, expected: Place
) -> None:
    assert parse_location(text, gaz, UK) == expected


@pytest.mark.parametrize("text", ["outside the UK", "not in the UK", "anywhere but England"])
def test_B19a_a_place_the_client_is_not_in_is_not_their_place(
    gaz: GeonamesGazetteer, text: str
) -> None:
    result = parse_location(text, gaz, UK)
    assert not (isinstance(result, Place) and result.country == "GB")


def test_B19a_without_a_preference_the_most_populous_wins(gaz: GeonamesGazetteer) -> None:
    assert parse_location("Newcastle", gaz) == Place(city="Newcastle", country="AU")


@pytest.mark.parametrize("text", ["I live in reading", "blackwork", "asdfgh"])
def test_B19a_typos_are_not_guessed_from_ordinary_words(
    gaz: GeonamesGazetteer, text: str
) -> None:
    assert parse_location(text, gaz, UK) == Failure("unknown_place")


def test_B7_gazetteer_nearest_city_of_a_pin(gaz: GeonamesGazetteer) -> None:
    assert (gaz.nearest(51.5072, -0.1276).name, gaz.nearest(53.48, -2.24).name) == (
        "London", "Manchester")
    assert gaz.nearest(95.0, 0.0) is None


# -- B-19b yes/no --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yup defo", True), ("I believe so", True), ("ys", True), ("it is a coverup yeah", True),
        ("I think so", True), ("deffo", True), ("yh", True), ("pretty sure it is", True),
        ("i dont think so", False), ("no its fresh skin", False), ("its my first tattoo", False),
        ("I doubt it", False), ("not that I know of", False),
        ("naw", False), ("defo not", False), ("hell no", False), ("nae", False),
    ],
)
def test_B19b_yes_no_as_written(text: str, answer: bool) -> None:
    assert parse_yesno(text) == YesNo(answer)


# -- names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Its Ellie :)", "Ellie"), ("it's ellie xx", "Ellie"), ("My names Tom 😊", "Tom"),
        ("hi, I'm sam x", "Sam"), ("Ellie here, thanks!", "Ellie"), ("call me Ash!", "Ash"),
        ("Zoë", "Zoë"), ("my name is Jo-Anne O'Neil", "Jo-Anne O'Neil"), (" Ellie ;)", "Ellie"),
        ("name's Alex", "Alex"), ("the name’s Bond", "Bond"), ("name: Kim", "Kim"),
        # a lead-in is a whole word: these names keep their first letters
        ("Imogen", "Imogen"), ("Justine", "Justine"), ("Namesh", "Namesh"), ("Itsy", "Itsy"),
    ],
)
def test_names_without_smileys_or_lead_ins(text: str, name: str) -> None:
    assert parse_name(text) == Name(name)


@pytest.mark.parametrize(
    "text",
    ["😀", "12345", "one two three four five six", "weekday evenings after 6", "yes",
     "saturdays", "a small rose"],
)
def test_names_rejects_what_is_no_name(text: str) -> None:
    assert isinstance(parse_name(text), Failure)


# -- B-7 references in prose ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no pics, I trust your style", References(none=True)),
        ("don't have any yet", References(none=True)),
        ("nothing really, up to the artist", References(none=True)),
        ("none", References(none=True)),
        ("will send a few tomorrow", References(later=True, note="will send a few tomorrow")),
        ("I'll dig some out later", References(later=True, note="I'll dig some out later")),
        ("check my pinterest board",
         References(elsewhere=True, note="check my pinterest board")),
        ("https://pin.it/abc", References(elsewhere=True, links=("https://pin.it/abc",),
                                          note="https://pin.it/abc")),
        ("like the one on my friend's arm", References(note="like the one on my friend's arm")),
    ],
)
def test_B7_references_answered_in_prose(text: str, expected: References) -> None:
    assert parse_references(text) == expected


# -- complexity: "not sure" where the question invites it ----------------------------------
@pytest.mark.parametrize("text", ["no idea really", "not sure", "dunno", "up to you"])
def test_B20_complexity_not_sure_is_an_answer(text: str) -> None:
    assert parse_complexity(text) == Complexity(unsure=True)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("just text", 1), ("lettering only", 1), ("simple lines", 1), ("pretty simple", 1),
        ("lots of fine detail", 3), ("loads of detail", 3), ("realism", 3),
        ("quite intricate", 3), ("medium", 2), ("somewhere in between", 2),
        ("a bit of shading", 2),
    ],
)
def test_B20_complexity_in_words(text: str, level: int) -> None:
    assert parse_complexity(text) == Complexity(level)


# -- preferred time windows ----------------------------------------------------------------
WEEK = ("mon", "tue", "wed", "thu", "fri")


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("weekday afternoons", [Window(days=WEEK, parts=("afternoon",))]),
        ("Saturdays", [Window(days=("sat",))]),
        ("weekends", [Window(days=("sat", "sun"))]),
        ("after 5", [Window(after="17:00")]),
        ("any evening", [Window(parts=("evening",))]),
        ("before 2pm", [Window(before="14:00")]),
        ("mon-fri after 6pm", [Window(days=WEEK, after="18:00")]),
        ("tuesday to thursday", [Window(days=("tue", "wed", "thu"))]),
        ("after work on weekdays", [Window(days=WEEK, after="17:00")]),
        ("not mondays", [Window(days=("tue", "wed", "thu", "fri", "sat", "sun"))]),
        ("any day but monday", [Window(days=("tue", "wed", "thu", "fri", "sat", "sun"))]),
        ("evenings, not Fridays",
         [Window(days=("mon", "tue", "wed", "thu", "sat", "sun"), parts=("evening",))]),
        ("Mondays and Tuesday evenings", [Window(days=("mon", "tue"), parts=("evening",))]),
        ("weekday evenings and saturdays",
         [Window(days=WEEK, parts=("evening",)), Window(days=("sat",))]),
        ("Saturday mornings or afternoons",
         [Window(days=("sat",), parts=("morning",)), Window(days=("sat",), parts=("afternoon",))]),
    ],
)
def test_B37_time_windows_are_structured(text: str, windows: list[Window]) -> None:
    assert parse_time_windows(text) == TimeWindows(windows=tuple(windows))


@pytest.mark.parametrize("text", ["anytime", "whenever really", "I'm flexible"])
def test_B37_time_windows_anytime(text: str) -> None:
    assert parse_time_windows(text) == TimeWindows(anytime=True)


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), ("hello", "no_window")])
def test_B37_time_windows_rejects(text: str, reason: str) -> None:
    assert parse_time_windows(text) == Failure(reason)
