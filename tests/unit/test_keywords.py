"""B-8 global keywords: the normalised WHOLE message, never a word inside an answer."""

from __future__ import annotations

import pytest

from core.domain.keywords import KEYWORDS, PHRASES, keyword, normalise

CASES = {
    "stop": [
        "STOP", "stop", "Stop.", "STOP!!! 🛑", "UNSUBSCRIBE", "stop please", "please stop",
        "stop messaging me", "stop texting me", "unsubscribe me", "opt out", "Opt-out",
        "STOP STOP STOP", "  stop  ",
    ],
    "start": ["START", "RESUME", "restart", "Start again", "start please"],
    "continue": ["CONTINUE", "carry on", "continue please", "Continue!"],
    "yes": ["YES", "yes", "Yes!", "yes please"],
    "human": [
        "HUMAN", "TALK TO SOMEONE", "talk to a human", "speak to someone", "real person",
        "ARTIST", "Artist!", "speak to the artist", "can I talk to the artist?",
        "I want to speak to a real person please",
    ],
    "refund": ["REFUND", "i want a refund", "refund please", "can i get a refund?"],
    "erasure": [
        "DELETE MY DATA", "GDPR", "delete my information", "delete my details",
        "erase my data", "forget me", "please delete my data", "Delete my data!",
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"), [(text, name) for name, texts in CASES.items() for text in texts]
)
def test_B8_keyword_matches_the_whole_message(text: str, expected: str) -> None:
    assert keyword(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to stop by next week",
        "the artist's style",
        "I love the artist's style",
        "yes I think a sleeve",
        "yes it is",
        "a stop sign on my arm",
        "please continue the design on my back",
        "start with the outline",
        "human skull",
        "is the deposit refundable if I cancel?",
        "my data scientist friend recommended you",
        "ok",
        "",
        "🛑",
        "stop" * 100,
    ],
)
def test_B8_keyword_ignores_normal_answers(text: str) -> None:
    assert keyword(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP!!! 🛑", "stop"),
        ("  Carry   ON  ", "carry on"),
        ("I'd like", "id like"),
        ("Don’t", "dont"),
        ("opt-out", "opt out"),
        ("", ""),
    ],
)
def test_B8_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_B8_keyword_phrases_belong_to_one_keyword_each() -> None:
    assert set(PHRASES.values()) == set(KEYWORDS)
    assert all(phrase == normalise(phrase) for phrase in PHRASES)
