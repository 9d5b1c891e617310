"""What the answer parsers return: a typed value, or a typed failure (SPEC section 4).

Every parser is a pure function that never raises: on any input it returns one
of these frozen structs. ``Failure.reason`` is a short, stable code (shown to the
artist, counted by the repair logic, printed by ``inkbook parse``).
"""

from __future__ import annotations

import msgspec


class Failure(msgspec.Struct, frozen=True):
    """The text did not parse. ``reason``: a stable code, see ``FAILURE_REASONS``."""

    reason: str


FAILURE_REASONS: tuple[str, ...] = (
    "empty",  # nothing but whitespace, punctuation or emoji
    "no_number",  # a number was needed and there is none
    "zero",  # an amount or range starting at zero
    "negative",  # a negative amount
    "range_inverted",  # a range whose max is below its min
    "too_large",  # an absurdly large number
    "out_of_range",  # a number outside the allowed range (sizes, slots, levels)
    "incomplete",  # half an answer: `10x`, `x12`, a bare number without a unit
    "ambiguous",  # two different answers in one message, or several matches
    "unknown_place",  # no city or country recognised
    "not_a_choice",  # the text is not an answer of the expected kind
    "no_match",  # a well-formed choice that matches nothing offered
    "no_slots",  # a slot choice with no slots offered
    "not_a_name",  # no name in the text
    "no_media",  # neither images nor an answer about them
    "no_window",  # no day or time of day recognised
)


class Money(msgspec.Struct, frozen=True, omit_defaults=True):
    """An amount or a range in minor units; ``max == min`` for a single amount.

    ``bound``: ``at_most`` (``max 600``, ``below £300``) or ``at_least`` (``700 or
    more``) for a single amount said as a ceiling or a floor; None otherwise.
    """

    min: int
    max: int
    currency: str  # ISO 4217, upper case
    bound: str | None = None


class OpenBudget(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """No figure, but an answer: ``whatever it costs`` (flexible) or ``dunno`` (unsure)."""

    currency: str
    flexible: bool = False
    unsure: bool = False


class Size(msgspec.Struct, frozen=True, omit_defaults=True):
    """Width × height in cm, and/or a size class such as ``half_sleeve`` (B-18)."""

    width_cm: float | None = None
    height_cm: float | None = None
    size_class: str | None = None


# Size classes that are big pieces: they count towards handover / deposit rules.
LARGE_SIZE_CLASSES: frozenset[str] = frozenset(
    {
        "half_sleeve",
        "full_sleeve",
        "leg_sleeve",
        "full_back",
        "back_piece",
        "chest_piece",
        "bodysuit",
    }
)
def is_large(size: Size, large_area_cm2: float) -> bool:
    """A large class, or an area (width × height) of at least ``large_area_cm2``
    (the studio's ``limits.large_area_cm2``)."""
    if size.size_class in LARGE_SIZE_CLASSES:
        return True
    if size.width_cm is None or size.height_cm is None:
        return False
    return size.width_cm * size.height_cm >= large_area_cm2


class Place(msgspec.Struct, frozen=True, omit_defaults=True):
    """Where the client is: a city and/or a country (ISO alpha-2), or flexible."""

    city: str | None = None
    country: str | None = None
    flexible: bool = False


class YesNo(msgspec.Struct, frozen=True):
    answer: bool


class Complexity(msgspec.Struct, frozen=True, omit_defaults=True):
    level: int | None = None  # 1 simple, 2 medium, 3 complex; None when unsure
    unsure: bool = False  # "no idea really": an answer the question invites, not a failure


class SlotChoice(msgspec.Struct, frozen=True):
    choice: int  # 1-based position in the offered slots


class Name(msgspec.Struct, frozen=True):
    name: str


class References(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """The reference question answered in words (images themselves are stored as media)."""

    none: bool = False  # "no pics, I trust your style"
    later: bool = False  # "will send a few tomorrow"
    elsewhere: bool = False  # "check my pinterest board"
    links: tuple[str, ...] = ()
    note: str | None = None  # what they said, for the artist


class Window(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """One preferred window: days (``mon``..``sun``; empty: any day), parts of the day
    (``morning``, ``afternoon``, ``evening``; empty: any time), and clock bounds (HH:MM)."""

    days: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    after: str | None = None
    before: str | None = None


class TimeWindows(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    windows: tuple[Window, ...] = ()
    anytime: bool = False  # "whenever", "I'm flexible"
