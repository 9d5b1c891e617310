"""B-18 dimensions parser: width × height in cm, or a size class."""

from __future__ import annotations

import pytest

from core.domain.parsers import LARGE_SIZE_CLASSES, Failure, Size, is_large, parse_size


@pytest.mark.parametrize(
    ("text", "width", "height"),
    [
        ("10x12cm", 10.0, 12.0),
        ("10 x 12 cm", 10.0, 12.0),
        ("10×12", 10.0, 12.0),
        ("10 by 12", 10.0, 12.0),
        ("10x12", 10.0, 12.0),  # cm by default
        ("10 x 12", 10.0, 12.0),
        ("10x12cm??", 10.0, 12.0),  # trailing junk is fine
        ("about 10 by 12 cm on my forearm", 10.0, 12.0),
        ("4x5 inches", 10.2, 12.7),
        ('4"x5"', 10.2, 12.7),
        ('4" x 5"', 10.2, 12.7),
        ("2.5 x 3 inches", 6.3, 7.6),
        ("10cm", 10.0, 10.0),  # a square
        ("about 15cm", 15.0, 15.0),
        ("12 inches", 30.5, 30.5),
        ("100mm x 50mm", 10.0, 5.0),
        ("10 cm x 10 cm", 10.0, 10.0),
        ("10cm wide and 12cm tall", 10.0, 12.0),
        ("10,5 x 12", 10.5, 12.0),
        ("1m x 50cm", 100.0, 50.0),
        ("300x300", 300.0, 300.0),
        ("1x1", 1.0, 1.0),
    ],
)
def test_B18_size_accepts(text: str, width: float, height: float) -> None:
    assert parse_size(text) == Size(width_cm=width, height_cm=height)


@pytest.mark.parametrize(
    ("text", "size_class"),
    [
        ("palm sized", "palm"),
        ("palm-sized", "palm"),
        ("hand sized", "hand"),
        ("the size of my hand", "hand"),
        ("tiny", "tiny"),
        ("small", "small"),
        ("medium", "medium"),
        ("large", "large"),
        ("pretty big", "large"),
        ("half sleeve", "half_sleeve"),
        ("half-sleeve", "half_sleeve"),
        ("quarter sleeve", "quarter_sleeve"),
        ("full sleeve", "full_sleeve"),
        ("a sleeve", "full_sleeve"),
        ("leg sleeve", "leg_sleeve"),
        ("full back", "full_back"),
        ("back piece", "back_piece"),
        ("chest piece", "chest_piece"),
        ("bodysuit", "bodysuit"),
        ("a small half sleeve", "half_sleeve"),  # the piece beats the adjective
    ],
)
def test_B18_size_words_map_to_a_class(text: str, size_class: str) -> None:
    assert parse_size(text) == Size(size_class=size_class)


def test_B18_size_keeps_both_dimensions_and_class() -> None:
    assert parse_size("small, about 5x5cm") == Size(5.0, 5.0, "small")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("10x", "incomplete"),
        ("x12", "incomplete"),
        ("10", "incomplete"),
        ("not a size", "no_number"),
        ("I'm not sure yet", "no_number"),
        ("not too big", "no_number"),  # negated size words are not a size
        ("400x12", "out_of_range"),
        ("0x5", "out_of_range"),
        ("0.5cm", "out_of_range"),
        ("301 x 10", "out_of_range"),
        ("10x12 or 15x20", "ambiguous"),
        ("half sleeve or full sleeve", "ambiguous"),
        ("small or medium", "ambiguous"),
    ],
)
def test_B18_size_rejects(text: str, reason: str) -> None:
    assert parse_size(text) == Failure(reason)


@pytest.mark.parametrize(
    ("size", "large"),
    [
        (Size(size_class="half_sleeve"), True),
        (Size(size_class="full_back"), True),
        (Size(size_class="palm"), False),
        (Size(size_class="large"), False),
        (Size(20.0, 20.0), True),
        (Size(10.0, 12.0), False),
        (Size(), False),
    ],
)
def test_B18_large_classes_count_towards_handover(size: Size, large: bool) -> None:
    assert is_large(size, 400.0) is large


def test_B18_large_classes_are_snake_case_class_names() -> None:
    assert {"half_sleeve", "full_sleeve", "full_back", "back_piece", "chest_piece"} <= (
        LARGE_SIZE_CLASSES
    )
    assert all(name.islower() and " " not in name for name in LARGE_SIZE_CLASSES)
