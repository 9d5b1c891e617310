"""B-31: clipping to Meta's limits never overflows and never splits a character sequence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.meta.bodies import clip


@given(st.text(), st.integers(min_value=2, max_value=80))
def test_clip_never_exceeds_the_limit_and_keeps_short_text(text: str, limit: int) -> None:
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if len(text) <= limit:
        assert clipped == text
    else:
        assert clipped.endswith("…")


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("Tuesday 15 September, 11:00", 20, "Tuesday 15 Septembe…"),
        ("Yes, that works      for me", 20, "Yes, that works…"),
        ("ab👨‍👩‍👧cdefgh", 5, "ab…"),  # a family emoji is kept whole or dropped whole
        ("abcde\u0301fg", 6, "abcd…"),  # e + combining acute stays together
        ("ok 👍🏽 thanks", 5, "ok…"),  # skin tone stays with its hand
        ("abc🇬🇧🇫🇷xyz", 7, "abc🇬🇧…"),  # never half a flag
    ],
)
def test_clip_cuts_between_whole_characters(text: str, limit: int, clipped: str) -> None:
    assert clip(text, limit) == clipped
