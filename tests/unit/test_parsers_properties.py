"""Section 4: every parser returns a value or a typed failure on ANY text, never raises."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.gazetteer import GeonamesGazetteer
from core.domain.handover import REASONS, handover_reason
from core.domain.keywords import KEYWORDS, keyword, normalise
from core.domain.parsers import (
    FAILURE_REASONS,
    MAX_SIDE_CM,
    MIN_SIDE_CM,
    Complexity,
    Failure,
    Money,
    Name,
    OpenBudget,
    Place,
    References,
    Size,
    SlotChoice,
    TimeWindows,
    YesNo,
    parse_budget,
    parse_complexity,
    parse_location,
    parse_name,
    parse_references,
    parse_size,
    parse_slot,
    parse_time_windows,
    parse_yesno,
)

_START = datetime(2025, 3, 3, 9, tzinfo=ZoneInfo("Europe/London"))
SLOTS = tuple(_START + timedelta(hours=7 * i) for i in range(8))
GAZETTEER = GeonamesGazetteer()

# Any unicode, plus texts built from the characters the parsers care about.
_TRICKY = "0123456789 .,-–~x×*#:/£$€¥kKmMpP\"'?!ab🇬🇧👍👎🛑\u200b\u00a0\n"
_WORDS = [
    "to", "and", "or", "k", "grand", "hundred", "five", "cm", "mm", "inches", "by", "x", "option",
    "second", "tuesday", "pm", "am", "morning", "london", "uk", "not", "yes", "no", "cover up",
    "how much", "?", "artist", "minus", "-", "£", "$", "2pm", "14:00", "3rd", "half sleeve",
    # issue 11 phrasings
    "max", "or more", "no less than", "a few hundred", "dunno", "whatever it costs", "high",
    "across", "a5", "playing card", "fist", "Manc", "Newcastle", "Kent", "outside", "its", ":)",
    "weekends", "after 5", "except", "mon-fri", "evenings", "will send", "pinterest", "ys",
]
ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=_TRICKY, max_size=60),
    st.lists(st.sampled_from([*_WORDS, "1", "2", "400", "0", "12", "1.5"]), max_size=12).map(
        " ".join
    ),
)
HUGE = [
    "9" * 100_000,
    "1" * 5000 + "x" + "2" * 5000,
    "£" + "1," * 20_000 + "000",
    "a" * 200_000,
    "🇬🇧" * 20_000,
    "London " * 20_000,
    "1 or " * 20_000,
    "-" * 50_000 + "400",
    "\x00\ud800\U0010ffff" * 1000,
]


def _check(result: object, kinds: tuple[type, ...]) -> None:
    assert isinstance(result, (*kinds, Failure))
    if isinstance(result, Failure):
        assert result.reason in FAILURE_REASONS


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_B17_budget_never_raises(text: str) -> None:
    result = parse_budget(text, "GBP")
    _check(result, (Money, OpenBudget))
    if isinstance(result, Money):
        assert 0 < result.min <= result.max
        assert len(result.currency) == 3 and result.currency.isupper()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, st.text(max_size=5))
def test_B17_budget_never_raises_with_any_default_currency(text: str, currency: str) -> None:
    _check(parse_budget(text, currency), (Money, OpenBudget))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_B18_size_never_raises(text: str) -> None:
    result = parse_size(text)
    _check(result, (Size,))
    if isinstance(result, Size) and result.width_cm is not None:
        assert result.height_cm is not None
        assert MIN_SIDE_CM <= result.width_cm <= MAX_SIDE_CM
        assert MIN_SIDE_CM <= result.height_cm <= MAX_SIDE_CM


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, st.integers(min_value=0, max_value=8))
def test_B19_slot_never_raises(text: str, count: int) -> None:
    result = parse_slot(text, SLOTS[:count])
    _check(result, (SlotChoice,))
    if isinstance(result, SlotChoice):
        assert 1 <= result.choice <= count


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_B19a_location_never_raises(text: str) -> None:
    result = parse_location(text, GAZETTEER, ("GB", "IE"))
    _check(result, (Place,))
    if isinstance(result, Place):
        assert result.flexible or result.city or result.country
        assert result.country is None or (len(result.country) == 2 and result.country.isupper())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_B19b_yesno_and_complexity_never_raise(text: str) -> None:
    _check(parse_yesno(text), (YesNo,))
    result = parse_complexity(text)
    _check(result, (Complexity,))
    if isinstance(result, Complexity):
        assert result.level in (1, 2, 3) or (result.level is None and result.unsure)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_issue11_name_references_and_time_windows_never_raise(text: str) -> None:
    name = parse_name(text)
    _check(name, (Name,))
    if isinstance(name, Name):
        assert name.name.strip() == name.name and any(c.isalpha() for c in name.name)
    _check(parse_references(text), (References,))
    windows = parse_time_windows(text)
    _check(windows, (TimeWindows,))
    if isinstance(windows, TimeWindows):
        assert windows.anytime or windows.windows


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, st.sampled_from(["text", "budget", "complexity", "yesno", "time_windows"]))
def test_B8_B20_keywords_and_handover_never_raise(text: str, kind: str) -> None:
    assert keyword(text) in (*KEYWORDS, None)
    assert handover_reason(text, question_kind=kind, long_question_chars=120) in (*REASONS, None)
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize("text", HUGE, ids=range(len(HUGE)))
def test_section4_parsers_survive_huge_and_weird_input(text: str) -> None:
    _check(parse_budget(text, "GBP"), (Money, OpenBudget))
    _check(parse_size(text), (Size,))
    _check(parse_slot(text, SLOTS), (SlotChoice,))
    _check(parse_location(text, GAZETTEER), (Place,))
    _check(parse_location(text, GAZETTEER, ("GB",)), (Place,))
    _check(parse_name(text), (Name,))
    _check(parse_references(text), (References,))
    _check(parse_time_windows(text), (TimeWindows,))
    _check(parse_yesno(text), (YesNo,))
    _check(parse_complexity(text), (Complexity,))
    assert keyword(text) in (*KEYWORDS, None)
    assert handover_reason(text, question_kind="budget", long_question_chars=120) in (
        *REASONS, None,
    )
