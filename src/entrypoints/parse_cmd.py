"""``inkbook parse KIND TEXT``: how the assistant understands one answer (CONTRACT.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from adapters.gazetteer import GeonamesGazetteer
from adapters.profile import demo_profile_path, load_profiles
from core.domain.parsers import (
    Failure,
    parse_budget,
    parse_location,
    parse_size,
    parse_slot,
    parse_yesno,
)

KINDS = ("budget", "size", "location", "yesno", "slot")


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


def parse(
    kind: str, text: str, slots: str | None = None, profile: Path | None = None
) -> dict[str, Any]:
    """The JSON object ``inkbook parse`` prints."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r} (expected {', '.join(KINDS)})")
    result: Any
    if kind == "budget":
        studio = load_profiles(profile or demo_profile_path())[0]
        result = parse_budget(text, studio.currency)
    elif kind == "size":
        result = parse_size(text)
    elif kind == "location":
        result = parse_location(text, GeonamesGazetteer())
    elif kind == "yesno":
        result = parse_yesno(text)
    else:
        result = parse_slot(text, _slots(slots))
    if isinstance(result, Failure):
        return {"ok": False, "reason": result.reason}
    value = msgspec.to_builtins(result)
    if kind == "size":
        value = {k: v for k, v in value.items() if v is not None}
    elif kind == "location":
        value = (
            {"flexible": True}
            if value.get("flexible")
            else {"city": value.get("city"), "country": value.get("country")}
        )
    return {"ok": True, "value": value}
