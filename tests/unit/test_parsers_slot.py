"""B-19 slot choice: which of the offered slots (1-based), or a failure to repair."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.domain.parsers import Failure, SlotChoice, parse_slot

_MONDAY = datetime(2025, 3, 3, tzinfo=ZoneInfo("Europe/London"))
# Mon 10:00, Mon 14:00, Tue 10:00, Tue 14:30, Wed 18:00, Thu 11:00, Fri 15:00, Sat 12:00
SLOTS = tuple(
    _MONDAY + timedelta(days=day, hours=hour, minutes=minute)
    for day, hour, minute in (
        (0, 10, 0), (0, 14, 0), (1, 10, 0), (1, 14, 30), (2, 18, 0), (3, 11, 0), (4, 15, 0),
        (5, 12, 0),
    )
)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("1", 1),
        ("8", 8),
        ("2 please", 2),
        ("ok 3", 3),
        ("3 works for me", 3),
        ("3 is fine thanks", 3),
        ("option 2", 2),
        ("Option 2!", 2),
        ("number 2", 2),
        ("#2", 2),
        ("no. 2", 2),
        ("option two", 2),
        ("two please", 2),
        ("the second one", 2),
        ("2nd", 2),
        ("second", 2),
        ("first please", 1),
        ("the last one", 8),
        ("I'll take the second one", 2),
        ("option 2, I have 3 questions though", 2),  # the explicit choice wins
        ("the 7th", 7),
    ],
)
def test_B19_slot_accepts_a_number_or_ordinal(text: str, choice: int) -> None:
    assert parse_slot(text, SLOTS) == SlotChoice(choice)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("Tuesday afternoon", 4),
        ("tue pm", 4),
        ("Wednesday evening", 5),
        ("thursday", 6),
        ("weds", 5),
        ("monday afternoon", 2),
        ("Friday works", 7),
        ("saturday midday", 8),
        ("noon", 8),
        ("2pm", 2),
        ("14:00", 2),
        ("2:30pm", 4),
        ("the 2pm one", 2),
        ("6pm", 5),
        ("11am", 6),
        ("3 pm", 7),
        ("tuesday 10am", 3),
        ("I'll take the 10am on Tuesday", 3),
        ("friday at 3pm", 7),
        ("2 on monday", 2),  # a number and a consistent weekday
    ],
)
def test_B19_slot_accepts_a_weekday_or_time_matching_one_slot(text: str, choice: int) -> None:
    assert parse_slot(text, SLOTS) == SlotChoice(choice)


def test_B19_slot_hour_matches_a_half_hour_slot_when_nothing_is_on_the_hour() -> None:
    assert parse_slot("2pm", SLOTS[3:4]) == SlotChoice(1)  # Tue 14:30 is the only 2-ish slot


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  ", "empty"),
        ("1 or 2", "ambiguous"),
        ("2, 4, 5", "ambiguous"),
        ("option 2 or 3", "ambiguous"),
        ("2pm or 3pm", "ambiguous"),
        ("monday or tuesday", "ambiguous"),
        ("10am", "ambiguous"),  # Monday and Tuesday
        ("monday", "ambiguous"),
        ("2 on tuesday", "ambiguous"),  # slot 2 is a Monday
        ("0", "out_of_range"),
        ("9", "out_of_range"),
        ("11", "out_of_range"),
        ("option 12", "out_of_range"),
        ("I have 3 questions", "not_a_choice"),
        ("call me at 5", "not_a_choice"),
        ("I'm 25", "not_a_choice"),
        ("5 o'clock", "not_a_choice"),
        ("that one", "not_a_choice"),
        ("hello", "not_a_choice"),
        ("can't do tuesday", "not_a_choice"),
        ("none of them work", "not_a_choice"),
        ("sunday", "no_match"),
        ("9pm", "no_match"),
    ],
)
def test_B19_slot_rejects(text: str, reason: str) -> None:
    assert parse_slot(text, SLOTS) == Failure(reason)


def test_B19_slot_without_offered_slots_is_a_failure() -> None:
    assert parse_slot("1", ()) == Failure("no_slots")


def test_B19_slot_uses_the_slots_own_zone() -> None:
    # 13:00 UTC is 14:00 in Paris in winter: "2pm" is the studio's 2pm.
    paris = datetime(2025, 1, 6, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    other = datetime(2025, 1, 6, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert parse_slot("2pm", [other, paris]) == SlotChoice(2)
    assert parse_slot("monday afternoon", [other, paris]) == SlotChoice(2)
