"""B-30: money and dates reach clients in the studio's locale (Babel), never hand-formatted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from adapters.babel import BabelFormats, known_locale
from adapters.profile import ProfileError, load_studio

FORMATS = BabelFormats()


@pytest.mark.parametrize(
    "amount, currency, locale, shown",
    [
        (15000, "GBP", "en_GB", "£150"),
        (150050, "EUR", "en_GB", "€1,500.50"),
        (150050, "EUR", "de_DE", "1.500,50\xa0€"),
        (40000, "USD", "en_US", "$400"),
        (1500, "JPY", "ja_JP", "￥1,500"),  # no minor units in yen
    ],
)
def test_B30_money_is_written_as_the_locale_writes_it(
    amount: int, currency: str, locale: str, shown: str
) -> None:
    assert FORMATS.money(amount, currency, locale) == shown


def test_B30_tour_dates_and_slot_times_follow_the_locale() -> None:
    span = FORMATS.date_range(date(2027, 3, 8), date(2027, 3, 13), "en_GB")
    assert span == "8\u2009–\u200913 Mar 2027"  # CLDR's thin spaces around the dash
    assert "März" in FORMATS.date_range(date(2027, 3, 8), date(2027, 3, 13), "de_DE")
    moment = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
    assert FORMATS.moment(moment, "Europe/London", "en_GB") == "Tue 8 Dec, 14:00"
    assert FORMATS.moment(moment, "America/New_York", "en_US") == "Tue, Dec 8, 9:00\u202fAM"


MINIMAL = Path(__file__).parent / "fixtures" / "minimal_studio.yaml"


def test_B30_an_unknown_locale_stops_the_profile_at_load(tmp_path: Path) -> None:
    assert known_locale("en_GB") and not known_locale("xx_NOPE")
    path = tmp_path / "studio.yaml"
    path.write_text(MINIMAL.read_text().replace("currency: EUR", "currency: EUR\nlocale: xx_NOPE"))
    with pytest.raises(ProfileError) as error:
        load_studio(path)
    assert "locale" in str(error.value) and "xx_NOPE" in str(error.value)


def test_B30_the_locale_defaults_to_en_GB() -> None:
    assert load_studio(MINIMAL).locale == "en_GB"
