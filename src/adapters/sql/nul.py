"""No NUL reaches the database (B-45): PostgreSQL refuses ``\\x00`` in TEXT and JSONB.

One guard where values enter SQL catches every path (leads, answers, thread,
events' detail, claims, lookups): each string parameter and each JSON document
has its NUL characters replaced by U+2400 (the visible symbol for NUL), so the
text is stored and the thread shows where the NUL was. The same replacement on
lookups keeps them matching what was stored. SQLite gets the same treatment, so
both backends store the same thing.
"""

from __future__ import annotations

from typing import Any

NUL = "\x00"
SHOWN_AS = "\u2400"  # ␀
_JSON_NUL = "\\u0000"  # how a JSON encoder writes NUL inside a string


def scrub(value: Any) -> Any:
    """``value`` with NUL replaced in every string, nested lists and dicts included."""
    if isinstance(value, str):
        return value.replace(NUL, SHOWN_AS) if NUL in value else value
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(v) for v in value)
    return value


def json_may_hold_nul(text: str) -> bool:
    return _JSON_NUL in text


def scrub_parameters(parameters: Any) -> Any:
    """DBAPI parameters (a tuple, a dict, or a list of them for executemany), scrubbed."""
    if isinstance(parameters, dict):
        return {k: scrub(v) for k, v in parameters.items()}
    if isinstance(parameters, list):
        return [scrub_parameters(row) for row in parameters]
    if isinstance(parameters, tuple):
        return tuple(scrub(v) for v in parameters)
    return parameters


def has_nul(parameters: Any) -> bool:
    """Fast check before copying anything: is there a NUL in any string parameter?"""
    if isinstance(parameters, str):
        return NUL in parameters
    if isinstance(parameters, dict):
        return any(has_nul(v) for v in parameters.values())
    if isinstance(parameters, list | tuple):
        return any(has_nul(v) for v in parameters)
    return False
