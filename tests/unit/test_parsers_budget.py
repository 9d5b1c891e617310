"""B-17 budget parser: amounts and ranges in minor units plus ISO currency."""

from __future__ import annotations

import pytest

from core.domain.parsers import Failure, Money, parse_budget


@pytest.mark.parametrize(
    ("text", "low", "high", "currency"),
    [
        ("400", 40000, 40000, "GBP"),
        ("£400", 40000, 40000, "GBP"),
        ("400 gbp", 40000, 40000, "GBP"),
        ("400gbp", 40000, 40000, "GBP"),
        ("400 pounds", 40000, 40000, "GBP"),
        ("400 quid", 40000, 40000, "GBP"),
        ("$1,500.50", 150050, 150050, "USD"),
        ("€400", 40000, 40000, "EUR"),
        ("400 euros", 40000, 40000, "EUR"),
        ("usd 400", 40000, 40000, "USD"),
        ("1.5k", 150000, 150000, "GBP"),
        ("400k", 40_000_000, 40_000_000, "GBP"),
        ("2 grand", 200000, 200000, "GBP"),
        ("~400", 40000, 40000, "GBP"),
        ("around 400", 40000, 40000, "GBP"),
        ("400ish", 40000, 40000, "GBP"),
        ("£ 400", 40000, 40000, "GBP"),
        ("400-500", 40000, 50000, "GBP"),
        ("400 - 500", 40000, 50000, "GBP"),
        ("400–500", 40000, 50000, "GBP"),
        ("400 to 500", 40000, 50000, "GBP"),
        ("£400-£500", 40000, 50000, "GBP"),
        ("between 400 and 500", 40000, 50000, "GBP"),
        ("1-2k", 100000, 200000, "GBP"),
        ("500-1k", 50000, 100000, "GBP"),
        ("five hundred", 50000, 50000, "GBP"),
        ("two thousand five hundred", 250000, 250000, "GBP"),
        ("fifteen hundred pounds", 150000, 150000, "GBP"),
        ("five hundred and fifty", 55000, 55000, "GBP"),
        ("a grand", 100000, 100000, "GBP"),
        ("2.500", 250000, 250000, "GBP"),  # a dot as thousands separator
        ("1.500,50", 150050, 150050, "GBP"),
        ("400,50", 40050, 40050, "GBP"),
    ],
)
def test_B17_budget_accepts(text: str, low: int, high: int, currency: str) -> None:
    assert parse_budget(text, "GBP") == Money(low, high, currency)


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("$400", "GBP", Money(40000, 40000, "USD")),  # kept as given, not treated as GBP
        ("€400", "GBP", Money(40000, 40000, "EUR")),
        ("400", "EUR", Money(40000, 40000, "EUR")),
        ("400", "usd", Money(40000, 40000, "USD")),
        ("$400", "AUD", Money(40000, 40000, "AUD")),  # a dollar studio's "$" is its dollar
        ("400 dollars", "CAD", Money(40000, 40000, "CAD")),
        ("US$400", "AUD", Money(40000, 40000, "USD")),
        ("£400", "EUR", Money(40000, 40000, "GBP")),
        ("5000", "JPY", Money(5000, 5000, "JPY")),  # zero-decimal currency
    ],
)
def test_B17_budget_keeps_the_named_currency(text: str, default: str, expected: Money) -> None:
    assert parse_budget(text, default) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("0", "zero"),
        ("£0", "zero"),
        ("zero", "zero"),
        ("0.001", "zero"),
        ("0-200", "zero"),
        ("-400", "negative"),
        ("£-400", "negative"),
        ("-£400", "negative"),
        ("- 400", "negative"),
        ("minus 400", "negative"),
        ("500-400", "range_inverted"),
        ("500 to 400", "range_inverted"),
        ("£400 or $500", "ambiguous"),  # two currencies
        ("400, 500, 600", "ambiguous"),
        ("10x12cm", "ambiguous"),
        ("12,000,000,000", "too_large"),
        ("9" * 40, "too_large"),
    ],
)
def test_B17_budget_rejects(text: str, reason: str) -> None:
    assert parse_budget(text, "GBP") == Failure(reason)
