"""Location answers -> city and/or country, or flexible (B-19a).

City -> country comes from the gazetteer passed in (a real one lives in an
adapter), never from a table here. Longest names win: ``Rio de Janeiro`` before
``Rio``, ``New York`` before ``York``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from core.domain.decision import Gazetteer
from core.domain.keywords import normalise
from core.domain.parsers.location_words import (
    CAPITALISED_ONLY,
    FUNCTION_WORDS,
    NAME_ENDINGS,
    SHORT_OK,
)
from core.domain.parsers.result import Failure, Place

MAX_WORDS = 60  # a location answer is short; the rest of an essay is not looked at
MAX_NAME_WORDS = 5  # "Newcastle upon Tyne", "Saint Vincent and the Grenadines"

_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_CHUNKS = re.compile(r"[\s,;:/|()\[\]{}]+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*")
_FLEXIBLE = re.compile(
    r"\b(?:anywhere|any where|anyplace|flexible|wherever|dont mind|do not mind|doesnt matter|"
    r"does not matter|no preference|not fussed|any city|any location|open to anything)\b"
)
_NOT_FLEXIBLE = re.compile(r"\bnot (?:really |very |that )?flexible\b")
_TRAVEL = re.compile(r"\b(?:happy|willing|able|ready|open|can|could|will|ill|i) (?:to )?travel\b")


class _Hit(NamedTuple):
    start: int
    end: int
    city: tuple[str, str] | None
    country: str | None


def _words(text: str) -> list[str]:
    """Words of the text, postcodes and other tokens with digits left out."""
    kept = (chunk for chunk in _CHUNKS.split(text) if not any(c.isdigit() for c in chunk))
    return _WORD.findall(" ".join(kept))[:MAX_WORDS]


def _allowed(words: list[str], shouting: bool) -> bool:
    lowered = [w.casefold() for w in words]
    if len(words) == 1:
        word, low = words[0], lowered[0]
        if low in FUNCTION_WORDS and not (len(word) <= 3 and word.isupper() and not shouting):
            return False
        if len(word) <= 3 and low not in SHORT_OK and not (word.isupper() and not shouting):
            return False
        return low not in CAPITALISED_ONLY or word[0].isupper()
    first_ok = lowered[0] not in FUNCTION_WORDS or lowered[0] == "the"
    return first_ok and (lowered[-1] not in FUNCTION_WORDS or lowered[-1] in NAME_ENDINGS)


def _lookup(name: str, gazetteer: Gazetteer) -> tuple[tuple[str, str] | None, str | None]:
    country = gazetteer.country(name)
    city = gazetteer.city(name)
    if country and city and city[1] != country:
        if len(name) <= 3:
            return city, city[1]  # "LA", "NYC": the city's nickname, not a country code
        city = None  # "Georgia", "Lebanon": the country reading wins
    return city, country if country or city is None else city[1]


def _hits(words: list[str], gazetteer: Gazetteer, shouting: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    i = 0
    while i < len(words):
        for length in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            gram = words[i : i + length]
            if not _allowed(gram, shouting):
                continue
            city, country = _lookup(" ".join(gram), gazetteer)
            if city or country:
                hits.append(_Hit(i, i + length, city, country))
                i += length
                break
        else:
            i += 1
    return hits


def _place(hits: list[_Hit]) -> Place | None:
    """The first city (with a country named right next to it, else its own), else a country."""
    for index, hit in enumerate(hits):
        if hit.city is None:
            continue
        name, country = hit.city
        for other in hits[max(0, index - 1) : index + 2]:
            adjacent = other.end == hit.start or other.start == hit.end
            if other.city is None and other.country and adjacent:
                country = other.country  # "London, Canada": keep what they said
        return Place(city=name, country=country)
    countries = [hit.country for hit in hits if hit.country]
    return Place(country=countries[0]) if countries else None


def parse_location(text: str, gazetteer: Gazetteer) -> Place | Failure:
    """``London, UK``, ``Manchester``, ``UK``, ``anywhere``, ``I'll travel to Berlin`` -> Place."""
    text = text[:2000]
    flags = [
        "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in flag) for flag in _FLAG.findall(text)
    ]
    words = _words(text)
    norm = normalise(" ".join(words))
    if not norm and not flags:
        return Failure("empty")
    flexible = bool(_FLEXIBLE.search(norm)) and not _NOT_FLEXIBLE.search(norm)
    shouting = any(len(word) > 3 and word.isupper() for word in words)  # "I LIVE IN LONDON"
    hits = _hits(words, gazetteer, shouting)
    hits += [_Hit(len(words), len(words), None, c) for f in flags if (c := gazetteer.country(f))]
    place = _place(hits)
    if place is None:
        if flexible or _TRAVEL.search(norm):
            return Place(flexible=True)
        return Failure("unknown_place")
    return Place(city=place.city, country=place.country, flexible=flexible)
