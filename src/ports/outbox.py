"""Outbox: outbound messages committed with the state change that caused them (B-25)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from core.domain.outbound import Outgoing

PENDING = "pending"
SENT = "sent"
DEAD = "dead"  # permanent failure (B-27)
HELD = "held"  # window closed and no template: waits for the artist (B-28)
CANCELLED = "cancelled"  # the client opted out before it went (B-8): never sent


class OutboxItem(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    message: Outgoing
    created_at: datetime
    attempts: int = 0
    state: str = PENDING
    next_attempt_at: datetime | None = None
    provider_message_id: str | None = None
    last_error: str | None = None
    delivery: str | None = None  # provider status: sent, delivered, read, failed
    # When the client last wrote to us (for the 24-hour window, B-28); None for artists.
    client_last_seen: datetime | None = None
    sender: str | None = None  # the studio's sending number id
    # Whether the client has opted out (B-8), read when claimed; False for artists.
    client_opted_out: bool = False


class Outbox(Protocol):
    async def append(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        """Queue messages in this unit of work; returns their ids in order."""
        ...

    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxItem]:
        """Take the next deliverable message of each recipient (B-26).

        Only the oldest unfinished message of a recipient is deliverable, and only
        once its ``next_attempt_at`` has passed and no other relay holds its lease.
        Claimed items are leased until ``now + lease``: a relay that dies before
        marking them lets another deliver them after the lease runs out.
        """
        ...

    async def mark_sent(self, item_id: int, provider_message_id: str, now: datetime) -> None: ...

    async def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None: ...

    async def mark_dead(self, item_id: int, error: str, now: datetime) -> None: ...

    async def mark_held(self, item_id: int, reason: str, now: datetime) -> None: ...

    async def mark_cancelled(self, item_id: int, reason: str, now: datetime) -> None:
        """Final: the message will never be sent (its client opted out, B-8)."""
        ...

    async def cancel_pending(self, lead_id: str, reason: str, keep: frozenset[str]) -> int:
        """Cancel the lead's pending client messages except those whose purpose is in
        ``keep``; returns how many. A message a relay is sending right now may still go."""
        ...

    async def record_delivery(
        self, provider_message_id: str, status: str, at: datetime, error_code: int | None
    ) -> OutboxItem | None:
        """Apply a provider status update monotonically (sent < delivered < read; failed)."""
        ...

    async def for_lead(self, lead_id: str) -> list[OutboxItem]: ...

    async def pending_count(self) -> int: ...

    async def release_held(self, lead_id: str) -> int:
        """The artist's release (B-28): the lead's held messages go back to pending, in
        their order, for the relay to send. Returns how many."""
        ...
