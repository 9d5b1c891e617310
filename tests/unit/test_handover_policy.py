"""B-20 handover policy: a stable reason code, or None for a normal answer."""

from __future__ import annotations

import pytest

from core.domain.handover import REASONS, handover_reason

LIMIT = 120


def reason(text: str, kind: str = "text", limit: int = LIMIT) -> str | None:
    return handover_reason(text, question_kind=kind, long_question_chars=limit)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # client_asked: the ARTIST keyword or a request for a person, inside a message
        ("ARTIST", "text", "client_asked"),
        ("can I talk to the artist?", "text", "client_asked"),
        ("I'd rather speak with a real person", "budget", "client_asked"),
        ("HUMAN please", "text", "client_asked"),
        ("a rose, but ARTIST first", "text", "client_asked"),
        # complexity 3 on the complexity question
        ("3", "complexity", "complexity"),
        ("very detailed", "complexity", "complexity"),
        # cover-up words
        ("cover up", "text", "coverup"),
        ("coverup", "text", "coverup"),
        ("it's a cover-up of my ex's name", "text", "coverup"),
        ("rework", "text", "coverup"),
        ("I need to fix an old tattoo", "text", "coverup"),
        ("want to cover an old tattoo", "text", "coverup"),
        ("yes, a cover up", "yesno", "coverup"),
        # hesitation
        ("not sure I want it", "text", "hesitation"),
        ("I don't know if I should go ahead", "budget", "hesitation"),
        ("idk if im ready", "text", "hesitation"),
        ("not sure about this", "text", "hesitation"),
        ("a bit nervous tbh", "text", "hesitation"),
        ("I'm scared it will hurt", "text", "hesitation"),
        ("having second thoughts", "text", "hesitation"),
        ("still thinking about it", "text", "hesitation"),
        ("maybe later", "text", "hesitation"),
        # price questions
        ("how much?", "text", "price_question"),
        ("how much would it cost?", "budget", "price_question"),
        ("what's the price?", "budget", "price_question"),
        ("what do you charge", "text", "price_question"),
        ("can I get a quote", "text", "price_question"),
        ("does the cost include the deposit?", "placement", "price_question"),
        # scheduling questions
        ("when are you free?", "text", "scheduling_question"),
        ("what's your availability?", "text", "scheduling_question"),
        ("are you available next week?", "text", "scheduling_question"),
        ("when can I come in", "text", "scheduling_question"),
        ("earliest date?", "text", "scheduling_question"),
        ("weekends, but are you available on Sundays?", "time_windows", "scheduling_question"),
        # long questions
        ("Would it be possible " + "to " * 50 + "?", "text", "long_question"),
    ],
)
def test_B20_handover_reason(text: str, kind: str, expected: str) -> None:
    assert reason(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a rose on my forearm", "text"),
        ("I love the artist's style", "style"),
        ("price range 400-500", "budget"),
        ("about 400", "budget"),
        ("400, is that ok?", "budget"),
        ("no, not a cover up", "yesno"),
        ("it's not a coverup", "yesno"),
        ("no cover up", "yesno"),
        ("no", "yesno"),
        ("yes", "yesno"),
        ("2", "complexity"),
        ("3", "text"),
        ("I am not nervous at all", "text"),
        # B-20 recalibrated (issue 11): doubt about a choice the question offers is an answer
        ("not sure", "style"),
        ("no idea really", "style"),
        ("open to ideas", "style"),
        ("not sure", "complexity"),
        ("I don't know", "budget"),
        ("dunno", "budget"),
        ("idk", "text"),
        ("I'm available weekends", "time_windows"),
        ("evenings after 6, availability is good in March", "time_windows"),
        ("x" * 200, "text"),  # long but not a question
        ("what?" + "x" * 50, "text"),  # a question but short
    ],
)
def test_B20_normal_answers_do_not_hand_over(text: str, kind: str) -> None:
    assert reason(text, kind) is None


def test_B20_long_question_threshold_is_configurable() -> None:
    text = "could you do this on my ribs?"
    assert reason(text, limit=len(text) - 1) == "long_question"
    assert reason(text, limit=len(text)) is None


def test_B20_reasons_are_stable_codes() -> None:
    assert len(set(REASONS)) == len(REASONS)
    for code in (
        "client_asked", "complexity", "coverup", "long_question", "hesitation",
        "price_question", "scheduling_question", "refund", "erasure_request",
        "parse_failures", "tour_unclear", "unknown_status", "permanent_failure",
    ):
        assert code in REASONS
