"""``inkbook parse KIND TEXT``: how the assistant understands one answer (CONTRACT.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from adapters.gazetteer import GeonamesGazetteer
from adapters.profile import demo_profile_path, load_profiles
from core.domain.answers import preferred_countries, shape
from core.domain.parsers import (
    Failure,
    parse_budget,
    parse_complexity,
    parse_location,
    parse_name,
    parse_size,
    parse_slot,
    parse_time_windows,
    parse_yesno,
)

KINDS = ("budget", "size", "location", "yesno", "slot", "complexity", "name", "time_windows")


class UsageError(ValueError):
    pass


def _slots(raw: str | None) -> list[datetime]:
    if not raw:
        raise UsageError("slot needs --slots ISO,ISO,... (ISO-8601 datetimes with offset)")
    slots = []
    for part in raw.split(","):
        try:
            moment = datetime.fromisoformat(part.strip())
        except ValueError:
            raise UsageError(f"--slots: {part.strip()!r} is not an ISO-8601 datetime") from None
        if moment.tzinfo is None:
            raise UsageError(f"--slots: {part.strip()!r} needs a UTC offset, e.g. +01:00")
        slots.append(moment)
    return slots


def _studio(profile: Path | None) -> Any:
    return load_profiles(profile or demo_profile_path())[0]


def parse(
    kind: str, text: str, slots: str | None = None, profile: Path | None = None
) -> dict[str, Any]:
    """The JSON object ``inkbook parse`` prints."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r} (expected {', '.join(KINDS)})")
    result: Any
    match kind:
        case "budget":
            result = parse_budget(text, _studio(profile).currency)
        case "size":
            result = parse_size(text)
        case "location":
            result = parse_location(
                text, GeonamesGazetteer(), preferred_countries(_studio(profile))
            )
        case "yesno":
            result = parse_yesno(text)
        case "complexity":
            result = parse_complexity(text)
        case "name":
            result = parse_name(text)
        case "time_windows":
            result = parse_time_windows(text)
        case _:
            result = parse_slot(text, _slots(slots))
    if isinstance(result, Failure):
        return {"ok": False, "reason": result.reason}
    value = msgspec.to_builtins(result)
    return {"ok": True, "value": shape(kind, value)}
