"""Human-friendly durations and clock times for profile YAML.

Durations: ``"6h"``, ``"30m"``, ``"2d"``, ``"90s"``, ``"1h30m"``, ``"1h 30m"``,
``"1.5h"``, ``"2 days"``, ISO 8601 (``"PT6H"``, ``"P2D"``) or a number of seconds.
Clock times: ``"11:00"``, ``"9:30"``, ``"18:45:00"``.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_WORDS = {
    "w": ("w", "wk", "wks", "week", "weeks"),
    "d": ("d", "day", "days"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "m": ("m", "min", "mins", "minute", "minutes"),
    "s": ("s", "sec", "secs", "second", "seconds"),
}
_UNIT_OF = {word: unit for unit, words in _WORDS.items() for word in words}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_ISO = re.compile(
    r"P(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
EXAMPLES = "e.g. 6h, 30m, 2d, 90s, 1h30m, PT6H or a number of seconds"


def parse_duration(text: str) -> timedelta:
    """A duration from profile text; ValueError with a helpful message otherwise."""
    raw = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return timedelta(seconds=float(raw))
    iso = _ISO.fullmatch(raw.upper())
    if iso and raw.upper() not in ("P", "PT") and not raw.upper().endswith("T"):
        return timedelta(seconds=sum(float(v) * _UNITS[u] for u, v in iso.groupdict().items() if v))
    compact = raw.lower().replace(",", " ").replace(" and ", " ")
    parts = _PART.findall(compact)
    if parts and _PART.sub("", compact).strip() == "" and all(u in _UNIT_OF for _, u in parts):
        return timedelta(seconds=sum(float(n) * _UNITS[_UNIT_OF[u]] for n, u in parts))
    raise ValueError(f"not a duration: {text!r} ({EXAMPLES})")


def parse_clock(text: str) -> time:
    """A wall-clock time like ``11:00``; ValueError otherwise."""
    match = _CLOCK.fullmatch(text.strip())
    if match:
        hour, minute, second = (int(g or 0) for g in match.groups())
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise ValueError(f"not a time of day: {text!r} (e.g. 11:00 or 18:30)")
