"""Budget answers -> an amount or a range in minor units plus ISO currency (B-17)."""

from __future__ import annotations

import re
from typing import NamedTuple

from core.domain.keywords import normalise
from core.domain.parsers.budget_words import AT_LEAST, AT_MOST, OPEN, UNSURE, VAGUE
from core.domain.parsers.money import (
    CURRENCY,
    ZERO_DECIMAL_CURRENCIES,
    currencies_in,
    words_to_digits,
)
from core.domain.parsers.result import Failure, Money, OpenBudget

MAX_MAJOR_UNITS = 10_000_000  # above this a "budget" is a typo or a joke

_AMOUNT = re.compile(
    r"(?<![\d.,])(\d[\d,.]*\d|\d)(?:\s?(k|grand|thousand|hundred|mil|million)(?![a-z]))?"
)
_MULTIPLIERS = {"k": 1000, "grand": 1000, "thousand": 1000, "hundred": 100, "mil": 1_000_000,
                "million": 1_000_000}
_COMMA_GROUPS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DOT_GROUPS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")
_MINUS = re.compile(r"(?:[-−–—]|\bminus)\s*$")
_CONNECTOR = re.compile(r"(?:between\s+)?(?:-+|–|—|~|to|and|or|/|upto|up to|till|until)")
_GAP_NOISE = re.compile(rf"{CURRENCY.pattern}|[\s.,!]+")
_LOOKBACK = 12


class _Amount(NamedTuple):
    start: int
    end: int
    mantissa: int  # all digits, separators removed
    scale: int  # 10 ** number of decimals
    multiplier: int | None


def _number(raw: str, multiplier: int | None) -> tuple[int, int] | None:
    """(mantissa, scale) for ``1,500.50``, ``2.500``, ``1.5``, ``400,50``; None if garbled."""
    if _COMMA_GROUPS.fullmatch(raw):
        whole, _, frac = raw.replace(",", "").partition(".")
    elif _DOT_GROUPS.fullmatch(raw) and not (multiplier and raw.count(".") == 1):
        whole, _, frac = raw.replace(".", "").partition(",")
    elif _DECIMAL.fullmatch(raw):
        whole, _, frac = raw.replace(",", ".").partition(".")
    else:
        return None
    return int(whole + frac), int("1" + "0" * len(frac))


def _is_negative(text: str, start: int, previous_end: int | None) -> bool:
    before = CURRENCY.sub("", text[max(0, start - _LOOKBACK) : start]).rstrip()
    if not _MINUS.search(before):
        return False
    if previous_end is None:
        return True
    gap = _GAP_NOISE.sub("", text[previous_end:start])
    return not _CONNECTOR.fullmatch(gap)  # "400-500" is a range, not a minus


def _amounts(text: str) -> list[_Amount] | Failure:
    found: list[_Amount] = []
    for match in _AMOUNT.finditer(text):
        raw, word = match.group(1), match.group(2)
        if len(raw) > 20:
            return Failure("too_large")
        multiplier = _MULTIPLIERS[word] if word else None
        number = _number(raw, multiplier)
        if number is None:
            return Failure("ambiguous")
        previous = found[-1].end if found else None
        if _is_negative(text, match.start(), previous):
            return Failure("negative")
        found.append(_Amount(match.start(), match.end(), *number, multiplier))
    return found


def _minor(amount: _Amount, multiplier: int | None, per_major: int) -> int:
    numerator = amount.mantissa * (multiplier or 1) * per_major
    return (2 * numerator + amount.scale) // (2 * amount.scale)  # round half up


def _bound(text: str) -> str | None:
    """``max 600`` -> at_most, ``700 or more`` -> at_least (single amounts only)."""
    if AT_LEAST.search(text):
        return "at_least"
    return "at_most" if AT_MOST.search(text) else None


def _without_amount(text: str, currency: str, per_major: int) -> Money | OpenBudget | Failure:
    norm = normalise(text)
    for pattern, (low, high) in VAGUE:
        if pattern.search(norm):
            return Money(low * per_major, high * per_major, currency)
    if UNSURE.search(norm):
        return OpenBudget(currency=currency, unsure=True)
    if OPEN.search(norm):
        return OpenBudget(currency=currency, flexible=True)
    return Failure("empty" if not norm else "no_number")


def parse_budget(text: str, default_currency: str) -> Money | OpenBudget | Failure:
    """``£400``, ``1.5k``, ``400-500``, ``max 600``, ``five hundred``, ``dunno`` -> a budget."""
    lowered = words_to_digits(text[:2000].casefold())
    default = default_currency.strip().upper() or "GBP"
    currencies = currencies_in(lowered, default)
    if len(currencies) > 1:
        return Failure("ambiguous")
    currency = currencies.pop() if currencies else default
    per_major = 1 if currency in ZERO_DECIMAL_CURRENCIES else 100  # minor units per unit
    amounts = _amounts(lowered)
    if isinstance(amounts, Failure):
        return amounts
    if not amounts:
        return _without_amount(lowered, currency, per_major)
    if len(amounts) > 2:
        return Failure("ambiguous")
    first, last = amounts[0], amounts[-1]
    if len(amounts) == 2:
        gap = _GAP_NOISE.sub("", lowered[first.end : last.start])
        if not _CONNECTOR.fullmatch(gap):
            return Failure("ambiguous")
    low_multiplier = first.multiplier
    if low_multiplier is None and last.multiplier and first.mantissa * last.scale <= (
        last.mantissa * first.scale
    ):
        low_multiplier = last.multiplier  # "1-2k" means 1000-2000
    low, high = _minor(first, low_multiplier, per_major), _minor(last, last.multiplier, per_major)
    if low == 0:
        return Failure("zero")
    if high < low:
        return Failure("range_inverted")
    if high > MAX_MAJOR_UNITS * per_major:
        return Failure("too_large")
    if len(amounts) == 1:
        return Money(low, high, currency, _bound(lowered))
    return Money(low, high, currency)
