"""Repeated failed sign-ins are slowed down, per email and per client address (B-43).

After ``free`` failures in a row, each further try must wait ``delay`` seconds,
doubling per failure up to ``delay_max``; a success clears the email's and the
address's record. Kept in memory: one process sees its own attempts only (with
``serve --workers N`` an attacker gets N times the tries), and a restart forgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class _Record:
    failures: int
    last: datetime


class LoginThrottle:
    def __init__(self, free: int, delay: float, delay_max: float, capacity: int = 10_000) -> None:
        self.free = free
        self.delay = delay
        self.delay_max = delay_max
        self.capacity = capacity  # records kept at most (the oldest are dropped first)
        self._records: dict[str, _Record] = {}

    def _wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return float(min(self.delay_max, self.delay * 2 ** (failures - self.free)))

    def retry_after(self, keys: tuple[str, ...], now: datetime) -> float:
        """Seconds until a try with these keys (email, address) is allowed; 0 if it is now."""
        waits = [0.0]
        for key in keys:
            record = self._records.get(key)
            if record is not None:
                ready = record.last + timedelta(seconds=self._wait_after(record.failures))
                waits.append((ready - now).total_seconds())
        return max(waits)

    def failed(self, keys: tuple[str, ...], now: datetime) -> None:
        for key in keys:
            record = self._records.pop(key, None)
            failures = record.failures + 1 if record else 1
            self._records[key] = _Record(failures=failures, last=now)
        while len(self._records) > self.capacity:
            self._records.pop(next(iter(self._records)))

    def succeeded(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            self._records.pop(key, None)
