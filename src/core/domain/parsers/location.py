"""Location answers -> city and/or country, or flexible (B-19a).

City -> country comes from the gazetteer passed in (a real one lives in an
adapter), never from a table here. Longest names win: ``Rio de Janeiro`` before
``Rio``, ``New York`` before ``York``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from core.domain.keywords import normalise
from core.domain.parsers.location_words import (
    CAPITALISED_ONLY,
    FUNCTION_WORDS,
    NAME_ENDINGS,
    SHORT_OK,
)
from core.domain.parsers.result import Failure, Place

if TYPE_CHECKING:
    from ports.gazetteer import City, Gazetteer

MAX_WORDS = 60  # a location answer is short; the rest of an essay is not looked at
MAX_NAME_WORDS = 5  # "Newcastle upon Tyne", "Saint Vincent and the Grenadines"
MIN_TYPO_LETTERS = 5  # shorter words are never guessed as a misspelt city

_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_CHUNKS = re.compile(r"[\s,;:/|()\[\]{}]+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*")
_FLEXIBLE = re.compile(
    r"\b(?:anywhere|any where|anyplace|flexible|wherever|dont mind|do not mind|doesnt matter|"
    r"does not matter|no preference|not fussed|any city|any location|open to anything)\b"
)
_NOT_FLEXIBLE = re.compile(r"\bnot (?:really |very |that )?flexible\b")
_EXCLUDING = re.compile(
    r"\b(?:(?<!just )(?<!right )(?<!bit )(?<!slightly )(?<!little )(?<!mins )(?<!miles )"
    r"outside|not|except|but|excluding|other than|away from)(?: of| in| from| the)*$"
)  # "just outside Manchester" is near Manchester, not a place the client is not in
_TRAVEL = re.compile(r"\b(?:happy|willing|able|ready|open|can|could|will|ill|i) (?:to )?travel\b")


class _Hit(NamedTuple):
    start: int
    end: int
    city: tuple[str, str] | None
    country: str | None
    excluded: bool = False  # "outside the UK"
    name: str = ""


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


def _pick(cities: Sequence[City], prefer: Sequence[str]) -> tuple[str, str] | None:
    """The studio's country first, then its service countries, then the most populous."""
    for code in prefer:
        for city in cities:
            if city.country == code:
                return city.name, city.country
    return (cities[0].name, cities[0].country) if cities else None


def _lookup(
    name: str, gazetteer: Gazetteer, prefer: Sequence[str]
) -> tuple[tuple[str, str] | None, str | None]:
    country = gazetteer.country(name)
    city = _pick(gazetteer.cities(name), prefer)
    if country is None and (city is None or city[1] not in prefer):
        regions = [code for code in prefer if code in gazetteer.region(name)]
        if regions:
            return None, regions[0]  # "somewhere in Kent": the county near the studio
    if country and city and city[1] != country:
        if len(name) <= 3:
            return city, city[1]  # "LA", "NYC": the city's nickname, not a country code
        city = None  # "Georgia", "Lebanon": the country reading wins
    return city, country if country or city is None else city[1]


def _excluded(words: list[str], start: int) -> bool:
    """``outside the UK``, ``not in London``: a place the client is not in."""
    before = " ".join(w.casefold() for w in words[max(0, start - 3) : start])
    return bool(_EXCLUDING.search(before))


def _hits(
    words: list[str], gazetteer: Gazetteer, shouting: bool, prefer: Sequence[str]
) -> list[_Hit]:
    hits: list[_Hit] = []
    i = 0
    while i < len(words):
        for length in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            gram = words[i : i + length]
            if not _allowed(gram, shouting):
                continue
            city, country = _lookup(" ".join(gram), gazetteer, prefer)
            if city or country:
                name = " ".join(gram)
                hits.append(_Hit(i, i + length, city, country, _excluded(words, i), name))
                i += length
                break
        else:
            i += 1
    return hits


def _typo(words: list[str], gazetteer: Gazetteer, prefer: Sequence[str]) -> _Hit | None:
    """``Edinbrugh``: the nearest spelling of a city, tried only when nothing matched."""
    for i, word in enumerate(words):
        low = word.casefold()
        if len(low) < MIN_TYPO_LETTERS or low in FUNCTION_WORDS or low in CAPITALISED_ONLY:
            continue
        if _excluded(words, i):
            continue
        found = gazetteer.near_miss(word, prefer)
        if found is not None:
            return _Hit(i, i + 1, (found.name, found.country), None)
    return None


def _place(hits: list[_Hit], gazetteer: Gazetteer) -> Place | None:
    """The first city (with a country named right next to it, else its own), else a country."""
    for index, hit in enumerate(hits):
        if hit.city is None:
            continue
        name, country = hit.city
        for other in hits[max(0, index - 1) : index + 2]:
            adjacent = other.end == hit.start or other.start == hit.end
            if other.city is None and other.country and adjacent:
                country = other.country  # "London, Canada": keep what they said
                named = _pick(gazetteer.cities(hit.name), (country,)) if hit.name else None
                if named is not None and named[1] == country:
                    name = named[0]  # "Newcastle, Australia": that country's Newcastle
        return Place(city=name, country=country)
    countries = [hit.country for hit in hits if hit.country]
    return Place(country=countries[0]) if countries else None


def parse_location(
    text: str, gazetteer: Gazetteer, prefer: Sequence[str] = ()
) -> Place | Failure:
    """``London, UK``, ``Manchester``, ``UK``, ``anywhere``, ``I'll travel to Berlin`` -> Place.

    ``prefer``: countries to read an ambiguous name in first (the studio's, then its
    service countries), e.g. ``Newcastle`` -> Newcastle upon Tyne for a UK studio.
    """
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
    hits = _hits(words, gazetteer, shouting, prefer)
    hits += [_Hit(len(words), len(words), None, c) for f in flags if (c := gazetteer.country(f))]
    excluded = any(hit.excluded for hit in hits)
    hits = [hit for hit in hits if not hit.excluded]
    if not hits and not excluded and not flexible:
        hits = [hit] if (hit := _typo(words, gazetteer, prefer)) else []
    place = _place(hits, gazetteer)
    if place is None:
        if excluded:
            return Failure("unknown_place")  # "outside the UK": where, then?
        if flexible or _TRAVEL.search(norm):
            return Place(flexible=True)
        return Failure("unknown_place")
    return Place(city=place.city, country=place.country, flexible=flexible)
