"""Global keywords (B-8): matched on the normalised WHOLE message, never inside one.

``keyword("STOP!!! 🛑") == "stop"`` but ``keyword("I'd like to stop by") is None``.
Polite padding around the keyword ("please", "hi", "can I", "thanks") is ignored.
"""

from __future__ import annotations

import re

from core.domain.profile import DEFAULT_LIMITS

KEYWORDS: tuple[str, ...] = ("stop", "start", "continue", "yes", "human", "refund", "erasure")

_APOSTROPHE_CHARS = frozenset("'’‘`´")
_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^\w\s]|_")


def normalise(text: str) -> str:
    """Casefold, drop apostrophes, turn punctuation and emoji into spaces, collapse spaces."""
    folded = text.casefold()
    if not _APOSTROPHE_CHARS.isdisjoint(folded):
        folded = _APOSTROPHES.sub("", folded)
    # Letters, digits and plain spaces only (most answers): nothing for _NON_WORD to do.
    # ``str.isalnum`` is the test ``\w`` makes, less the underscore it lets through.
    if not folded.replace(" ", "").isalnum():
        folded = _NON_WORD.sub(" ", folded)
    return " ".join(folded.split())  # runs of whitespace (\s) as one space, stripped


def contains_any(text: str, parts: tuple[str, ...]) -> bool:
    """Whether any of ``parts`` occurs in ``text``: the cheap first look before a regex
    every match of which contains one of them."""
    for part in parts:  # noqa: SIM110 - a plain loop: any() over a generator costs more
        if part in text:
            return True
    return False


_GROUPS: dict[str, tuple[str, ...]] = {
    "stop": (
        "stop", "unsubscribe", "unsubscribe me", "opt out", "optout", "opt me out", "stop all",
        "stopall", "stop messaging me", "stop texting me", "stop messaging", "stop texting",
        "stop sending messages", "stop sending me messages", "stop contacting me",
        "stop messages", "stop it", "remove me", "take me off your list",
        "dont message me", "dont text me", "do not message me", "do not contact me",
    ),
    "start": (
        "start", "resume", "restart", "start again", "start over", "unstop", "opt in", "optin",
        "subscribe", "resume messages",
    ),
    "continue": ("continue", "carry on", "lets continue", "go on", "keep going", "proceed"),
    "yes": ("yes",),
    "human": (
        "human", "a human", "real person", "a real person", "artist", "the artist", "agent",
        "talk to someone", "talk to somebody", "talk to a human", "talk to a person",
        "talk to a real person", "speak to someone", "speak to somebody", "speak to a human",
        "speak to a person", "speak to a real person", "speak with someone",
        "talk with someone", "speak to the artist", "talk to the artist",
        "speak with the artist", "talk with the artist", "speak to an artist",
        "talk to an artist", "message the artist",
    ),
    "refund": (
        "refund", "a refund", "i want a refund", "i would like a refund", "id like a refund",
        "i need a refund", "get a refund", "have a refund", "refund me", "refund my deposit",
        "i want my money back", "i want my deposit back", "get my deposit back",
    ),
    "erasure": (
        "gdpr", "gdpr request", "delete my data", "delete my information", "delete my info",
        "delete my details", "delete my personal data", "delete my number", "delete all my data",
        "erase my data", "erase my information", "erase my details", "remove my data",
        "remove my information", "remove my details", "forget me", "right to be forgotten",
    ),
}

PHRASES: dict[str, str] = {p: name for name, group in _GROUPS.items() for p in group}

# Padding stripped from either end before looking the message up.
_LEADING = re.compile(
    r"^(?:(?:please|pls|plz|ok|okay|hi|hey|hello|sorry|um|so|just|can i|could i|may i|"
    r"can you|could you|can we|i want to|i wanna|i would like to|id like to|i need to|"
    r"let me|i want|i would like|id like|i need|i wish to)\s+)+"
)
_TRAILING = re.compile(
    r"(?:\s+(?:please|pls|plz|now|thanks|thank you|thx|ty|asap|right now|immediately))+$"
)


def keyword(text: str, max_chars: int = DEFAULT_LIMITS.keyword_max_chars) -> str | None:
    """The global keyword this whole message is, if any (one of ``KEYWORDS``).

    ``max_chars``: the studio's ``limits.keyword_max_chars``; no keyword message is longer.
    """
    if len(text) > max_chars:
        return None
    return keyword_in(normalise(text))


# The first word of every leading padding, the last of every trailing one: a text that
# starts (ends) with none of them has no padding to strip (keep them in step with
# _LEADING and _TRAILING).
_LEADING_FIRST = frozenset(
    {"please", "pls", "plz", "ok", "okay", "hi", "hey", "hello", "sorry", "um", "so", "just",
     "can", "could", "may", "i", "id", "let"}
)
_TRAILING_LAST = frozenset(
    {"please", "pls", "plz", "now", "thanks", "you", "thx", "ty", "asap", "immediately"}
)


def _unpadded(norm: str) -> str:
    if norm.partition(" ")[0] in _LEADING_FIRST:
        norm = _LEADING.sub("", norm)
    if norm.rpartition(" ")[2] in _TRAILING_LAST:
        norm = _TRAILING.sub("", norm)
    return norm


def keyword_in(norm: str) -> str | None:
    """``keyword`` on an already normalised text."""
    found = PHRASES.get(norm)
    if found is None and " " in norm:  # one word: no padding around it
        found = PHRASES.get(_unpadded(norm))
    if found is None and " " in norm:
        words = set(norm.split())  # "STOP STOP STOP"
        if len(words) == 1:
            found = PHRASES.get(words.pop())
    return found
