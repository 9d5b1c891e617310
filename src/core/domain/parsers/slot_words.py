"""Words the slot parser understands (B-19)."""

from __future__ import annotations

from typing import NamedTuple


class Time(NamedTuple):
    hour: int  # 0..23
    minute: int | None  # None: "2pm" (on the hour, or any minute if nothing is on the hour)


WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "weds": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
for _name, _day in list(WEEKDAYS.items()):
    if len(_name) > 4:
        WEEKDAYS[_name + "s"] = _day  # "tuesdays"

DAYPARTS: dict[str, str] = {
    "morning": "morning", "mornings": "morning", "am": "am", "afternoon": "afternoon",
    "afternoons": "afternoon", "arvo": "afternoon", "pm": "pm", "evening": "evening",
    "evenings": "evening", "night": "evening", "tonight": "evening",
}


def in_daypart(hour: int, part: str) -> bool:
    """Morning before 12, afternoon 12-17, evening from 17; am/pm split at noon."""
    if part in ("morning", "am"):
        return hour < 12
    if part == "afternoon":
        return 12 <= hour < 17
    if part == "evening":
        return hour >= 17
    return hour >= 12  # pm


ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": 0,
}
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Words that may surround a bare choice ("2 please", "that one works for me").
FILLER: frozenset[str] = frozenset(
    {
        "please", "pls", "plz", "ok", "okay", "k", "kk", "thanks", "thank", "you", "ty", "thx",
        "cheers", "lovely", "great", "perfect", "good", "fine", "cool", "awesome", "brilliant",
        "nice", "sounds", "that", "this", "the", "one", "a", "an", "it", "is", "its", "ill", "i",
        "id", "will", "would", "like", "take", "go", "with", "for", "me", "works", "work", "best",
        "prefer", "preferably", "choose", "pick", "want", "lets", "do", "yes", "yeah", "yep", "yup",
        "sure", "option", "number", "slot", "choice", "time", "date", "day", "on", "in", "of", "or",
        "and", "either", "maybe", "book", "then", "hi", "hey", "hello", "x", "xx", "xxx", "be",
        "can",
    }
)
NEGATION: frozenset[str] = frozenset(
    {
        "not", "cant", "cannot", "dont", "wont", "isnt", "doesnt", "unable", "busy", "neither",
        "none", "nor", "except",
    }
)
