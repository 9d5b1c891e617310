"""Formats: money and dates as a studio's clients read them, in the studio's locale (B-30).

The core decides *what* to say; how "£1,500" or "8–13 Mar 2027" is written in a
locale is a library's job (an adapter: Babel), never hand-written in the core.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class Formats(Protocol):
    def money(self, amount: int, currency: str, locale: str) -> str:
        """``amount`` in minor units of ``currency`` (ISO 4217), e.g. ``£150`` for 15000 GBP."""
        ...

    def date_range(self, start: date, end: date, locale: str) -> str:
        """Two days as one span, e.g. ``8–13 Mar 2027``."""
        ...

    def moment(self, at: datetime, timezone: str, locale: str) -> str:
        """A time of day on a day, in ``timezone`` (IANA), e.g. ``Tue 8 Dec, 14:00``."""
        ...
