"""Messages-per-second per sending number (B-29), on aiolimiter's leaky bucket."""

from __future__ import annotations

from collections.abc import Mapping

from aiolimiter import AsyncLimiter


def sender_rate(sender: str, default: float, rates: Mapping[str, float]) -> float:
    """The number's own rate if its studio names one, else ``default`` (B-29)."""
    return rates.get(sender.removeprefix("whatsapp:"), default)


class SenderThrottle:
    """``per_second`` for every number, or the number's own rate from ``rates`` (a studio's
    ``limits.messages_per_second``: e.g. 20 for a WhatsApp Business app number).

    One process only: the in-memory store's. On SQL stores every process shares the
    pacing in the database (``adapters.sql.throttle.SqlSenderThrottle``)."""

    def __init__(self, per_second: float, rates: Mapping[str, float] | None = None) -> None:
        self._rate = per_second
        self._rates = dict(rates or {})
        self._limiters: dict[str, AsyncLimiter] = {}

    def rate(self, sender: str) -> float:
        return sender_rate(sender, self._rate, self._rates)

    async def acquire(self, sender: str) -> None:
        limiter = self._limiters.get(sender)
        if limiter is None:
            # A one-second window: never more than `rate` sends in any second.
            limiter = self._limiters[sender] = AsyncLimiter(self.rate(sender), 1.0)
        await limiter.acquire()
