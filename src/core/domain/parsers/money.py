"""Currencies and number words for the budget parser (B-17)."""

from __future__ import annotations

import re

DOLLAR_CURRENCIES = frozenset({"USD", "AUD", "CAD", "NZD", "SGD", "HKD"})
KRONA_CURRENCIES = frozenset({"SEK", "NOK", "DKK", "ISK"})
# ISO 4217 currencies without minor units (amounts are stored as whole units).
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "ISK", "VND", "CLP", "XOF", "XAF"})

_DOLLAR = "$"  # resolved against the studio's currency: a dollar studio means its dollar
_KRONA = "kr"

_SYMBOLS = {
    "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD",
    "hk$": "HKD", "s$": "SGD", "r$": "BRL", "$": _DOLLAR, "£": "GBP", "€": "EUR", "¥": "JPY",
    "₹": "INR", "₩": "KRW", "₺": "TRY", "₽": "RUB", "₪": "ILS", "zł": "PLN", "₱": "PHP",
}
_WORDS = {
    "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "sterling": "GBP",
    "usd": "USD", "dollar": _DOLLAR, "dollars": _DOLLAR, "bucks": _DOLLAR,
    "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "aud": "AUD", "cad": "CAD", "nzd": "NZD", "sgd": "SGD", "hkd": "HKD", "chf": "CHF",
    "francs": "CHF", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "isk": "ISK", "kr": _KRONA,
    "kronor": "SEK", "kroner": _KRONA, "krona": "SEK", "jpy": "JPY", "yen": "JPY",
    "inr": "INR", "rupees": "INR", "pln": "PLN", "zloty": "PLN", "czk": "CZK", "huf": "HUF",
    "brl": "BRL", "reais": "BRL", "mxn": "MXN", "zar": "ZAR", "aed": "AED", "dirhams": "AED",
    "thb": "THB", "baht": "THB", "krw": "KRW", "won": "KRW", "ils": "ILS", "shekels": "ILS",
}
_SYMBOL_ALT = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_WORD_ALT = "|".join(sorted(_WORDS, key=len, reverse=True))
CURRENCY = re.compile(rf"(?:{_SYMBOL_ALT})|(?<![a-z])(?:{_WORD_ALT})(?![a-z])")


def currencies_in(text: str, default: str) -> set[str]:
    """ISO codes named in (casefolded) ``text``; ``$``/``kr`` resolve to ``default`` if fitting."""
    found: set[str] = set()
    for match in CURRENCY.finditer(text):
        token = match.group()
        code = _SYMBOLS.get(token) or _WORDS[token]
        if code == _DOLLAR:
            code = default if default in DOLLAR_CURRENCIES else "USD"
        elif code == _KRONA:
            code = default if default in KRONA_CURRENCIES else "SEK"
        found.add(code)
    return found


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "million": 1_000_000}
_NW = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_WORD_RUN = re.compile(
    rf"\b(?:an?\s+(?=(?:hundred|thousand|grand)\b))?(?:{_NW})"
    rf"(?:[\s-]+(?:and[\s-]+)?(?:{_NW}))*\b"
)
_SPLIT = re.compile(r"[\s-]+")
# "half a grand" is 500, not a grand; "a ton" is British slang for a hundred.
_HALF_GRAND = re.compile(r"\bhalf (?:an? )?(?:grand|thousand|k)\b")
_TON = re.compile(r"\b(?:a|one) ton\b")


def _run_value(run: str) -> int | None:
    words = [w for w in _SPLIT.split(run) if w and w != "and"]
    if words == ["one"] or not any(w in _UNITS or w in ("a", "an") for w in words):
        return None  # "the one", a bare "grand": not a number on their own
    total = current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in ("a", "an"):
            current = 1
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current


def _replace(match: re.Match[str]) -> str:
    value = _run_value(match.group())
    return match.group() if value is None else str(value)


def words_to_digits(text: str) -> str:
    """``two thousand five hundred pounds`` -> ``2500 pounds`` (casefolded input)."""
    if "half" in text:
        text = _HALF_GRAND.sub("500", text)
    if "ton" in text:
        text = _TON.sub("100", text)
    return _WORD_RUN.sub(_replace, text)
