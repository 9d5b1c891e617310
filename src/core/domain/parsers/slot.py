"""Slot choice among the offered slots -> a 1-based index (B-19)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from core.domain.keywords import normalise
from core.domain.parsers.result import Failure, SlotChoice
from core.domain.parsers.slot_words import (
    DAYPARTS,
    FILLER,
    NEGATION,
    NUMBER_WORDS,
    ORDINALS,
    WEEKDAYS,
    Time,
    in_daypart,
)

_TIME_12 = re.compile(
    r"(?<![\d:.])(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?m\b\.?"
)
_TIME_24 = re.compile(r"(?<![\d:.])([01]?\d|2[0-3])[:h]([0-5]\d)(?!\d)")
_NOON = re.compile(r"\b(?:noon|midday)\b")
_EXPLICIT = re.compile(
    r"(?:\b(?:option|opt|number|num|slot|choice)\b\.?|\b(?:no|nr)\b\.?(?=\s*#?\s*\d)|#)"
    r"\s*#?\s*(\d{1,3}|[a-z]+)\b"
)
_DIGIT_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")


class _Reading:
    """What the message names: explicit indexes, soft indexes, and slot filters."""

    def __init__(self) -> None:
        self.explicit: set[int] = set()
        self.soft: set[int] = set()  # ordinals, bare numbers: only if the rest is filler
        self.days_of_month: set[int] = set()
        self.weekdays: set[int] = set()
        self.dayparts: set[str] = set()
        self.times: set[Time] = set()


def _take_times(text: str, reading: _Reading) -> str:
    for match in _TIME_12.finditer(text):
        hour = int(match[1]) % 12 + (12 if match[3] == "p" else 0)
        reading.times.add(Time(hour, int(match[2]) if match[2] else None))
    text = _TIME_12.sub(" ", text)
    for match in _TIME_24.finditer(text):
        reading.times.add(Time(int(match[1]), int(match[2])))
    text = _TIME_24.sub(" ", text)
    if _NOON.search(text):
        reading.times.add(Time(12, 0))
    return _NOON.sub(" ", text)


def _take_explicit(text: str, reading: _Reading) -> str:
    def explicit(match: re.Match[str]) -> str:
        token = match[1]
        value = int(token) if token.isdecimal() else NUMBER_WORDS.get(token)
        if value is None:
            return match.group()
        reading.explicit.add(value)
        return " "

    return _EXPLICIT.sub(explicit, text)


def _take_words(text: str, reading: _Reading, count: int) -> list[str]:
    """Ordinals, weekdays, dayparts and number words; returns the words left over."""
    rest: list[str] = []
    previous = ""
    for index, word in enumerate(normalise(text).split()):
        ordinal = _DIGIT_ORDINAL.fullmatch(word)
        if word == "am" and previous == "i":
            rest.append(word)  # "I am", not "am"
        elif ordinal:
            value = int(ordinal[1])
            (reading.soft if value <= count else reading.days_of_month).add(value)
        elif word in ORDINALS:
            reading.soft.add(count if word == "last" else ORDINALS[word])
        elif word in WEEKDAYS:
            reading.weekdays.add(WEEKDAYS[word])
        elif word in DAYPARTS:
            reading.dayparts.add(DAYPARTS[word])
        elif word in NUMBER_WORDS and (word != "one" or index == 0):
            reading.soft.add(NUMBER_WORDS[word])
        elif word.isdecimal() and len(word) < 6:
            reading.soft.add(int(word))
        elif word.isdecimal():
            reading.soft.add(10**6)
        else:
            rest.append(word)
        previous = word
    return rest


def _matches(slot: datetime, reading: _Reading, exact_minutes: bool) -> bool:
    if reading.weekdays and slot.weekday() not in reading.weekdays:
        return False
    if reading.days_of_month and slot.day not in reading.days_of_month:
        return False
    if not all(in_daypart(slot.hour, part) for part in reading.dayparts):
        return False
    for time in reading.times:
        if slot.hour != time.hour:
            return False
        minute = time.minute if time.minute is not None or exact_minutes else slot.minute
        if slot.minute != (0 if minute is None else minute):
            return False
    return True


def _by_filters(slots: Sequence[datetime], reading: _Reading) -> SlotChoice | Failure:
    found = [i for i, slot in enumerate(slots, 1) if _matches(slot, reading, True)]
    if not found and any(t.minute is None for t in reading.times):
        found = [i for i, slot in enumerate(slots, 1) if _matches(slot, reading, False)]
    if len(found) == 1:
        return SlotChoice(found[0])
    return Failure("ambiguous" if found else "no_match")


def parse_slot(text: str, slots: Sequence[datetime]) -> SlotChoice | Failure:
    """``2``, ``option 2``, ``the second one``, ``Tuesday afternoon``, ``2pm`` -> 1-based index."""
    lowered = text[:500].casefold()
    if not normalise(lowered):
        return Failure("empty")
    if not slots:
        return Failure("no_slots")
    reading = _Reading()
    lowered = _take_explicit(_take_times(lowered, reading), reading)
    rest = _take_words(lowered, reading, len(slots))
    if NEGATION.intersection(rest):
        return Failure("not_a_choice")
    # A bare number or ordinal counts only when the message is essentially just the choice.
    choices = reading.explicit | (reading.soft if FILLER.issuperset(rest) else set())
    if len(choices) > 1 or len(reading.weekdays) > 1 or len(reading.times) > 1:
        return Failure("ambiguous")
    has_filter = bool(reading.weekdays or reading.times or reading.dayparts
                      or reading.days_of_month)
    if choices:
        choice = choices.pop()
        if not 1 <= choice <= len(slots):
            return Failure("out_of_range")
        if has_filter and not _matches(slots[choice - 1], reading, False):
            return Failure("ambiguous")
        return SlotChoice(choice)
    if has_filter:
        return _by_filters(slots, reading)
    return Failure("not_a_choice")
