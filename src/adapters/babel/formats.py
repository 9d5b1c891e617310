"""``Formats`` on Babel: CLDR's own patterns for currencies, date spans and times."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_interval, format_skeleton, format_time
from babel.numbers import format_currency, get_currency_precision


def known_locale(name: str) -> bool:
    """Whether Babel (CLDR) knows ``name`` (``en_GB``, ``de_DE``, ``fr``...)."""
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


class BabelFormats:
    """Pure formatting (no I/O): unit tests use it as it is."""

    def money(self, amount: int, currency: str, locale: str) -> str:
        return _money(amount, currency, locale)

    def date_range(self, start: date, end: date, locale: str) -> str:
        return format_interval(start, end, "yMMMd", locale=_locale(locale))

    def moment(self, at: datetime, timezone: str, locale: str) -> str:
        """The locale's own day (``Tue 8 Dec``) and short time (``14:00``, ``2:00 PM``)."""
        where = _locale(locale)
        local = at.astimezone(ZoneInfo(timezone))
        day = format_skeleton("MMMEd", local, locale=where)
        clock = format_time(local, "short", locale=where)
        return str(where.datetime_formats["medium"]).replace("{1}", day).replace("{0}", clock)


@lru_cache(maxsize=4096)  # summaries and briefs format the same few amounts again and again
def _money(amount: int, currency: str, locale: str) -> str:
    digits = get_currency_precision(currency)
    value = Decimal(amount).scaleb(-digits)
    whole = value == value.to_integral_value()
    # Whole amounts without ".00" ("£150"), others with the currency's own digits.
    pattern = None
    if whole:
        pattern = _locale(locale).currency_formats["standard"].pattern
        pattern = pattern.replace(".00", "").replace(",00", "")
    return format_currency(
        value, currency, format=pattern, locale=_locale(locale), currency_digits=not whole
    )
