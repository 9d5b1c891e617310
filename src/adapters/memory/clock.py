"""A clock the test moves by hand (B-39)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ManualClock:
    """``Clock`` port that stands still until told: ``advance(minutes=5)``, ``set(dt)``."""

    def __init__(self, start: datetime) -> None:
        self._now = _utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(
        self,
        *,
        weeks: float = 0,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
        milliseconds: float = 0,
        microseconds: float = 0,
    ) -> datetime:
        self._now += timedelta(
            weeks=weeks,
            days=days,
            hours=hours,
            minutes=minutes,
            seconds=seconds,
            milliseconds=milliseconds,
            microseconds=microseconds,
        )
        return self._now

    def set(self, moment: datetime) -> datetime:
        self._now = _utc(moment)
        return self._now


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("ManualClock needs a timezone-aware datetime")
    return moment.astimezone(UTC)
