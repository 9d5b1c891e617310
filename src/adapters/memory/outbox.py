"""Outbox on the in-memory store (B-25, B-26): heads per recipient, leases, row locks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec

from adapters.memory.tables import OutboxRow, Session
from core.domain.optout import opted_out
from core.domain.outbound import CLIENT, Outgoing
from ports.outbox import CANCELLED, DEAD, HELD, PENDING, SENT, OutboxItem

DELIVERY_RANK = {"sent": 1, "delivered": 2, "read": 3}
FAILED = "failed"


class MemoryOutbox:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def append(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        ids: list[int] = []
        for message in messages:
            item_id = self._s.tables.next_outbox_id()
            item = OutboxItem(id=item_id, message=message, created_at=now)
            self._s.changes.outbox[item_id] = OutboxRow(item=item)
            self._s.changes.new_outbox = True
            ids.append(item_id)
        return ids

    async def claim(
        self, now: datetime, limit: int, lease: timedelta, per_recipient: int = 1,
        *, commit: bool = False,  # the unit of work's commit applies it either way
    ) -> list[OutboxItem]:
        locks, claimed, heads = self._s.tables.locks, list[OutboxItem](), 0
        for row in self._heads():
            if heads >= limit:
                break
            if not self._claimable(row, now):
                continue
            if not locks.try_acquire(("outbox", row.item.id), self._s):
                continue  # another relay is deciding about it right now (SKIP LOCKED)
            claimed.append(self._lease(row, now + lease))
            heads += 1
            if per_recipient > 1:
                for follower in self._behind(row)[: per_recipient - 1]:
                    if not self._claimable(follower, now):
                        break  # never skip over a message (B-26)
                    claimed.append(self._lease(follower, now + lease))
        return sorted(claimed, key=lambda item: item.id)

    async def renew(self, item_ids: Sequence[int], until: datetime) -> None:
        for item_id in item_ids:
            row = self._row(item_id)
            if row is not None and row.item.state == PENDING:
                self._s.changes.outbox[item_id] = OutboxRow(item=row.item, claimed_until=until)

    async def release(self, item_ids: Sequence[int]) -> None:
        for item_id in item_ids:
            row = self._row(item_id)
            if row is not None and row.item.state == PENDING:
                self._s.changes.outbox[item_id] = OutboxRow(item=row.item, claimed_until=None)

    async def sendable(self, item_ids: Sequence[int]) -> set[int]:
        return {
            item_id
            for item_id in item_ids
            if (row := self._row(item_id)) is not None
            and row.item.state == PENDING
            and not self._opted_out(row.item)
        }

    async def sent_then_next(
        self, sent: Sequence[tuple[int, str]], now: datetime, rests: Sequence[Sequence[int]],
        *, commit: bool = False,
    ) -> set[int]:
        for item_id, provider_message_id in sent:
            await self.mark_sent(item_id, provider_message_id, now)
        ready = await self.sendable([rest[0] for rest in rests if rest])
        await self.release([i for rest in rests if rest and rest[0] not in ready for i in rest])
        return ready

    @staticmethod
    def _claimable(row: OutboxRow, now: datetime) -> bool:
        item = row.item
        if item.next_attempt_at is not None and item.next_attempt_at > now:
            return False
        # leased: another relay may be sending it right now
        return row.claimed_until is None or row.claimed_until < now

    def _lease(self, row: OutboxRow, until: datetime) -> OutboxItem:
        item = row.item
        self._s.changes.outbox[item.id] = OutboxRow(item=item, claimed_until=until)
        return msgspec.structs.replace(
            item,
            client_last_seen=self._last_seen(item),
            client_opted_out=self._opted_out(item),
            sender=None,
        )

    def _behind(self, head: OutboxRow) -> list[OutboxRow]:
        """The pending messages queued behind ``head`` for the same recipient, in order."""
        to, after = head.item.message.to, head.item.id
        return [
            row
            for row in self._rows()
            if row.item.state == PENDING and row.item.message.to == to and row.item.id > after
        ]

    async def mark_sent(self, item_id: int, provider_message_id: str, now: datetime) -> None:
        await self._update(item_id, state=SENT, provider_message_id=provider_message_id)

    async def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        await self._update(item_id, last_error=error, next_attempt_at=next_attempt_at, retry=True)

    async def mark_dead(self, item_id: int, error: str, now: datetime) -> None:
        await self._update(item_id, state=DEAD, last_error=error)

    async def mark_held(self, item_id: int, reason: str, now: datetime) -> None:
        await self._update(item_id, state=HELD, last_error=reason)

    async def mark_cancelled(self, item_id: int, reason: str, now: datetime) -> None:
        await self._update(item_id, state=CANCELLED, last_error=reason)

    async def cancel_pending(self, lead_id: str, reason: str, keep: frozenset[str]) -> int:
        doomed = [
            row.item.id
            for row in self._rows()
            if row.item.message.lead_id == lead_id
            and row.item.message.audience == CLIENT
            and row.item.state == PENDING
            and row.item.message.purpose not in keep
        ]
        cancelled = 0
        for item_id in doomed:
            await self._s.tables.locks.acquire(("outbox", item_id), self._s)  # UPDATE locks
            row = self._row(item_id)
            if row is None or row.item.state != PENDING:
                continue  # finished while we waited for the row
            item = msgspec.structs.replace(row.item, state=CANCELLED, last_error=reason)
            self._s.changes.outbox[item_id] = msgspec.structs.replace(row, item=item)
            cancelled += 1
        return cancelled

    async def record_delivery(
        self, provider_message_id: str, status: str, at: datetime, error_code: int | None
    ) -> OutboxItem | None:
        found = next(
            (r for r in self._rows() if r.item.provider_message_id == provider_message_id), None
        )
        if found is None:
            return None
        await self._s.tables.locks.acquire(("outbox", found.item.id), self._s)
        row = self._row(found.item.id)
        assert row is not None
        current = row.item.delivery
        if current == FAILED or not _advances(current, status):
            return row.item
        error = f"delivery failed ({error_code})" if status == FAILED else row.item.last_error
        item = msgspec.structs.replace(row.item, delivery=status, last_error=error)
        self._s.changes.outbox[item.id] = msgspec.structs.replace(row, item=item)
        return item

    async def for_lead(self, lead_id: str) -> list[OutboxItem]:
        return [row.item for row in self._rows() if row.item.message.lead_id == lead_id]

    async def pending_count(self) -> int:
        return sum(1 for row in self._rows() if row.item.state == PENDING)

    async def release_held(self, lead_id: str) -> int:
        held = [
            row.item.id
            for row in self._rows()
            if row.item.message.lead_id == lead_id and row.item.state == HELD
        ]
        for item_id in held:
            await self._update(item_id, state=PENDING, next_attempt_at=None)
        if held:
            self._s.changes.new_outbox = True  # wake the relays on commit
        return len(held)

    async def _update(self, item_id: int, retry: bool = False, **fields: object) -> None:
        """Change one row and drop its lease; ``retry`` counts one more failed attempt."""
        if self._row(item_id) is None:
            return  # like an UPDATE that matches no row
        await self._s.tables.locks.acquire(("outbox", item_id), self._s)
        row = self._row(item_id)
        assert row is not None
        if retry:
            fields["attempts"] = row.item.attempts + 1
        item = msgspec.structs.replace(row.item, **fields)
        self._s.changes.outbox[item_id] = OutboxRow(item=item, claimed_until=None)

    def _rows(self) -> list[OutboxRow]:
        rows = {**self._s.tables.outbox, **self._s.changes.outbox}
        return [rows[item_id] for item_id in sorted(rows)]

    def _row(self, item_id: int) -> OutboxRow | None:
        staged = self._s.changes.outbox.get(item_id)
        return staged if staged is not None else self._s.tables.outbox.get(item_id)

    def _heads(self) -> list[OutboxRow]:
        """The oldest unfinished message of each recipient, oldest first (B-26)."""
        heads: dict[str, OutboxRow] = {}
        for row in self._rows():
            if row.item.state == PENDING:
                heads.setdefault(row.item.message.to, row)
        return sorted(heads.values(), key=lambda row: row.item.id)

    def _opted_out(self, item: OutboxItem) -> bool:
        if item.message.audience != CLIENT:
            return False
        lead_id = item.message.lead_id
        lead = self._s.changes.leads.get(lead_id) or self._s.tables.leads.get(lead_id)
        return lead is not None and opted_out(lead.status)

    def _last_seen(self, item: OutboxItem) -> datetime | None:
        if item.message.audience != CLIENT:
            return None
        lead_id = item.message.lead_id
        lead = self._s.changes.leads.get(lead_id) or self._s.tables.leads.get(lead_id)
        return lead.times.last_client_message if lead is not None else None


def _advances(current: str | None, status: str) -> bool:
    if status == FAILED:
        return True
    if status not in DELIVERY_RANK:
        return False
    return DELIVERY_RANK[status] > DELIVERY_RANK.get(current or "", 0)
