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

    async def claim(
        self, now: datetime, limit: int, lease: timedelta, per_recipient: int = 1,
        *, commit: bool = False,
    ) -> list[OutboxItem]:
        """Take the next deliverable messages of each recipient (B-26), oldest first.

        Only the oldest unfinished message of a recipient is deliverable, and only
        once its ``next_attempt_at`` has passed and no other relay holds its lease.
        With ``per_recipient`` > 1 the claim also takes the messages queued behind
        that head, up to ``per_recipient`` in all, stopping at the first one that is
        not due or leased: a *chain* the relay sends one after another. Claimed items
        are leased until ``now + lease``: a relay that dies before marking them lets
        another deliver them after the lease runs out (unless it :meth:`renew` s it).
        ``limit`` bounds the recipients (heads) of one claim.

        ``commit``: the claim is the whole unit of work (the caller commits right after
        and does nothing else in it): the adapter may run it as one statement that
        commits itself (PostgreSQL: one round trip, no BEGIN or COMMIT).
        """
        ...

    async def renew(self, item_ids: Sequence[int], until: datetime) -> None:
        """Extend the lease of these claimed, still pending messages (the relay's heartbeat)."""
        ...

    async def release(self, item_ids: Sequence[int]) -> None:
        """Drop the lease of claimed messages the relay will not send in this pass: the
        rest of a chain behind a retry, a hold or a failure. They stay pending, in order."""
        ...

    async def sendable(self, item_ids: Sequence[int]) -> set[int]:
        """Of ``item_ids``, those still pending whose client has not opted out since
        they were claimed (B-8: a STOP committed mid-chain stops the rest of it)."""
        ...

    async def sent_then_next(
        self, sent: Sequence[tuple[int, str]], now: datetime, rests: Sequence[Sequence[int]],
        *, commit: bool = False,
    ) -> set[int]:
        """Mark each ``(id, provider message id)`` of ``sent`` sent and decide how each
        chain goes on: ``rests`` are the claimed ids the pass still holds behind the sent
        messages (one list per chain, in order). Returns the first ids of the rests that
        may go next (:meth:`sendable`); every other rest is released (:meth:`release`).
        In one statement where the database allows; with ``commit`` (as :meth:`claim`) it
        also commits itself: the relay's common case, one group of completed sends, then
        costs one round trip on PostgreSQL."""
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
