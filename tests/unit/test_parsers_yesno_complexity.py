"""B-19b yes/no answers and the complexity scale (1-3, B-20)."""

from __future__ import annotations

import pytest

from core.domain.parsers import Complexity, Failure, YesNo, parse_complexity, parse_yesno

YES = [
    "yes", "Yes!", "YES", "yeah", "yep", "yup", "yesss", "sure", "of course", "correct",
    "definitely", "absolutely", "y", "Y", "👍", "👍🏽", "✅", "yes it is", "yes please", "ok",
    "Yes!! 👍", "yeah it's a cover up", "for sure",
]
NO = [
    "no", "No.", "NO", "nope", "nah", "nah mate", "n", "N", "not really", "no thanks",
    "no thank you", "👎", "❌", "no it's not", "no it isn't", "definitely not", "of course not",
    "nooo", "it's not", "never",
]


@pytest.mark.parametrize("text", YES)
def test_B19b_yesno_accepts_yes(text: str) -> None:
    assert parse_yesno(text) == YesNo(True)


@pytest.mark.parametrize("text", NO)
def test_B19b_yesno_accepts_no(text: str) -> None:
    assert parse_yesno(text) == YesNo(False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("yes no", "ambiguous"),
        ("yeah nah", "ambiguous"),
        ("👍👎", "ambiguous"),
        ("yes 👎", "ambiguous"),
        ("not sure", "ambiguous"),
        ("maybe", "ambiguous"),
        ("I don't know", "ambiguous"),
        ("hmm", "not_a_choice"),
        ("a rose on my arm", "not_a_choice"),
    ],
)
def test_B19b_yesno_rejects_both_or_neither(text: str, reason: str) -> None:
    assert parse_yesno(text) == Failure(reason)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("1", 1), ("2", 2), ("3", 3), ("level 2", 2), ("Level 3!", 3), ("2/3", 2),
        ("3 out of 3", 3), ("two", 2), ("simple", 1), ("easy", 1), ("pretty simple", 1),
        ("basic", 1), ("not too complex", 1), ("medium", 2), ("moderate", 2),
        ("complex", 3), ("detailed", 3), ("very detailed", 3), ("quite intricate", 3),
        ("3 - very detailed", 3),
    ],
)
def test_B20_complexity_accepts(text: str, level: int) -> None:
    assert parse_complexity(text) == Complexity(level)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("0", "out_of_range"),
        ("4", "out_of_range"),
        ("12345678", "out_of_range"),
        ("1 or 2", "ambiguous"),
        ("simple but detailed", "ambiguous"),
        ("1 - very detailed", "ambiguous"),
    ],
)
def test_B20_complexity_rejects(text: str, reason: str) -> None:
    assert parse_complexity(text) == Failure(reason)
