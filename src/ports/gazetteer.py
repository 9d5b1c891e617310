"""Gazetteer: place names and coordinates -> cities and ISO country codes (B-19a, B-7).

The port offers candidates, not a verdict: every city known by a name, most
populous first, so the location parser can prefer the studio's own country,
then its service countries ("Newcastle" near London is Newcastle upon Tyne,
not the Australian one). A real gazetteer lives in ``adapters.gazetteer``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import msgspec


class City(msgspec.Struct, frozen=True):
    name: str  # canonical name, e.g. "Newcastle upon Tyne"
    country: str  # ISO 3166 alpha-2
    population: int = 0


class Gazetteer(Protocol):
    def country(self, name: str) -> str | None:
        """ISO 3166 alpha-2 for a country name, code or common alias, else None."""
        ...

    def cities(self, name: str) -> Sequence[City]:
        """Every city known by this name (official or common alternate), most populous first."""
        ...

    def region(self, name: str) -> Sequence[str]:
        """Countries with a first-level region or county of this name ("Kent" -> GB)."""
        ...

    def near_miss(self, name: str, countries: Sequence[str]) -> City | None:
        """The city a typo most likely means ("Edinbrugh"), preferring ``countries``, or None."""
        ...

    def nearest(self, latitude: float, longitude: float) -> City | None:
        """The nearest known city to a coordinate (a location pin without a name)."""
        ...
