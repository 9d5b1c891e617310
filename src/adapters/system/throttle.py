"""Messages-per-second per sending number (B-29), on aiolimiter's leaky bucket."""

from __future__ import annotations

from aiolimiter import AsyncLimiter


class SenderThrottle:
    def __init__(self, per_second: float) -> None:
        self._rate = per_second
        self._limiters: dict[str, AsyncLimiter] = {}

    async def acquire(self, sender: str) -> None:
        limiter = self._limiters.get(sender)
        if limiter is None:
            # A one-second window: never more than `rate` sends in any second.
            limiter = self._limiters[sender] = AsyncLimiter(self._rate, 1.0)
        await limiter.acquire()
