"""SqlOutbox: outbound messages committed with their cause, claimed per recipient (B-25, B-26)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from adapters.sql import codec
from adapters.sql.columns import UtcDateTime
from adapters.sql.tables import leads, outbox
from adapters.sql.tx import Transaction
from core.domain.outbound import CLIENT, Outgoing
from core.domain.status import Status
from ports.outbox import CANCELLED, DEAD, HELD, PENDING, SENT, OutboxItem

# Provider delivery statuses only move forward; "failed" is final (B-27).
DELIVERY_RANK = {"sent": 1, "delivered": 2, "read": 3}
FAILED = "failed"


def _claim_statement(now: datetime, limit: int, lease: timedelta) -> Any:
    """One statement: lease the oldest pending message of each free recipient.

    A row is deliverable when it is due, nobody holds its lease, and no older
    message to the same recipient is still pending (B-26): retries and messages
    leased elsewhere hold back the ones behind them. ``SKIP LOCKED`` lets
    several relays claim side by side on PostgreSQL (SQLite ignores it; its
    writers are serialised).
    """
    candidate = outbox.alias("candidate")
    older = outbox.alias("older")
    blocked = sa.exists().where(
        older.c.recipient == candidate.c.recipient,
        older.c.state == PENDING,
        older.c.id < candidate.c.id,
    )
    deliverable = (
        sa.select(candidate.c.id)
        .where(
            candidate.c.state == PENDING,
            sa.or_(candidate.c.next_attempt_at.is_(None), candidate.c.next_attempt_at <= now),
            sa.or_(candidate.c.claimed_until.is_(None), candidate.c.claimed_until < now),
            ~blocked,
        )
        .order_by(candidate.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (
        sa.update(outbox)
        .where(outbox.c.id.in_(deliverable))
        .values(claimed_until=now + lease)
        .returning(*_claimed_row_columns())
    )


def _mark(**values: Any) -> Any:
    """A prepared update of one row by id (``:item``) that also drops its lease."""
    where = outbox.c.id == sa.bindparam("item")
    return sa.update(outbox).where(where).values(claimed_until=None, **values)


def _param(name: str, kind: Any = sa.Text) -> Any:
    """A named parameter (not a column's name: those are taken in an UPDATE's SET)."""
    return sa.bindparam(name, type_=kind)


APPEND = sa.insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
MARK_SENT = _mark(
    state=SENT,
    provider_message_id=_param("provider_id"),
    sent_at=_param("at", UtcDateTime),
)
MARK_RETRY = _mark(
    attempts=outbox.c.attempts + 1,
    last_error=_param("error"),
    next_attempt_at=_param("due", UtcDateTime),
)
MARK_DEAD = _mark(state=DEAD, last_error=_param("error"))
MARK_HELD = _mark(state=HELD, last_error=_param("error"))
MARK_CANCELLED = _mark(state=CANCELLED, last_error=_param("error"))


def _claimed_row_columns() -> list[Any]:
    """Every column of a claimed row, plus what the relay reads at claim time (B-8, B-28)."""
    last_seen = (
        sa.select(leads.c.last_client_message_at)
        .where(leads.c.id == outbox.c.lead_id)
        .scalar_subquery()
    )
    client_last_seen = sa.case((outbox.c.audience == CLIENT, last_seen), else_=sa.null())
    return [*outbox.c, client_last_seen.label("client_last_seen"),
            _opted_out().label("client_opted_out")]


def _opted_out() -> Any:
    """Read at claim time, not queue time: a STOP committed since then wins (B-8)."""
    opted_out = sa.exists().where(
        leads.c.id == outbox.c.lead_id, leads.c.status == str(Status.OPTOUT)
    )
    return sa.and_(outbox.c.audience == CLIENT, opted_out)


def _ids(name: str = "ids") -> Any:
    return sa.bindparam(name, expanding=True)


def _followers() -> Any:
    """The pending messages behind each claimed head, ``:behind`` per recipient at most.

    ``row_number() <= n`` is a run condition on PostgreSQL 15+: each recipient's scan of
    ``ix_outbox_recipient_id_pending`` stops after n rows, however long its queue.
    """
    rank = sa.func.row_number().over(partition_by=outbox.c.recipient, order_by=outbox.c.id)
    queued = (
        sa.select(outbox.c.id, outbox.c.recipient, outbox.c.next_attempt_at,
                  outbox.c.claimed_until, rank.label("position"))
        .where(outbox.c.recipient.in_(_ids("recipients")), outbox.c.state == PENDING,
               outbox.c.id.not_in(_ids("heads")))
        .subquery("queued")
    )
    return (
        sa.select(queued.c.id, queued.c.recipient, queued.c.next_attempt_at,
                  queued.c.claimed_until)
        .where(queued.c.position <= sa.bindparam("behind"))
        .order_by(queued.c.recipient, queued.c.id)
    )


FOLLOWERS = _followers()
LEASE_FOLLOWERS = (
    sa.update(outbox)
    .where(outbox.c.id.in_(_ids()), outbox.c.state == PENDING)
    .values(claimed_until=sa.bindparam("until", type_=UtcDateTime))
    .returning(*_claimed_row_columns())
)
RENEW = (
    sa.update(outbox)
    .where(outbox.c.id.in_(_ids()), outbox.c.state == PENDING)
    .values(claimed_until=sa.bindparam("until", type_=UtcDateTime))
)
RELEASE = (
    sa.update(outbox)
    .where(outbox.c.id.in_(_ids()), outbox.c.state == PENDING)
    .values(claimed_until=None)
)
SENDABLE = sa.select(outbox.c.id).where(
    outbox.c.id.in_(_ids()), outbox.c.state == PENDING, sa.not_(_opted_out())
)


class SqlOutbox:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        self.appended = False  # whether this transaction queued anything (to wake relays)

    async def append(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        if not messages:
            return []
        rows = [codec.outgoing_values(message, now) for message in messages]
        # One prebuilt statement (compiled once), ids returned in the rows' order.
        ids = list((await self._tx.execute(APPEND, rows)).scalars())
        self.appended = True
        return ids

    async def claim(
        self, now: datetime, limit: int, lease: timedelta, per_recipient: int = 1
    ) -> list[OutboxItem]:
        result = await self._tx.execute(_claim_statement(now, limit, lease))
        rows = list(result.mappings())
        if per_recipient > 1 and rows:
            rows += await self._claim_followers(rows, now, per_recipient - 1, lease)
        rows.sort(key=lambda row: row["id"])
        return [
            codec.outbox_item_from_row(
                row, row["client_last_seen"], client_opted_out=bool(row["client_opted_out"])
            )
            for row in rows
        ]

    async def _claim_followers(
        self, heads: list[Any], now: datetime, behind: int, lease: timedelta
    ) -> list[Any]:
        """The messages queued behind the claimed heads, up to ``behind`` per recipient:
        each recipient's run stops at the first one not due or leased.

        Nobody else takes these: another relay only starts a recipient at its head, which
        this transaction has locked and leased (B-26).
        """
        recipients = sorted({row["recipient"] for row in heads})
        found = await self._tx.execute(FOLLOWERS, {"recipients": recipients, "behind": behind,
                                                   "heads": [row["id"] for row in heads]})
        chosen: list[int] = []
        stopped: set[str] = set()
        for row in found:  # ordered by recipient, then id
            recipient = row.recipient
            if recipient in stopped:
                continue
            due = row.next_attempt_at is None or row.next_attempt_at <= now
            free = row.claimed_until is None or row.claimed_until < now
            if due and free:
                chosen.append(row.id)
            else:
                stopped.add(recipient)  # never skip over a message (B-26)
        if not chosen:
            return []
        leased = await self._tx.execute(LEASE_FOLLOWERS, {"ids": chosen, "until": now + lease})
        return list(leased.mappings())

    async def renew(self, item_ids: Sequence[int], until: datetime) -> None:
        if item_ids:
            await self._tx.execute(RENEW, {"ids": list(item_ids), "until": until})

    async def release(self, item_ids: Sequence[int]) -> None:
        if item_ids:
            await self._tx.execute(RELEASE, {"ids": list(item_ids)})

    async def sendable(self, item_ids: Sequence[int]) -> set[int]:
        if not item_ids:
            return set()
        return set((await self._tx.execute(SENDABLE, {"ids": list(item_ids)})).scalars())

    # The relay marks what completed together: deferred, one executemany each.
    async def mark_sent(self, item_id: int, provider_message_id: str, now: datetime) -> None:
        values = {"item": item_id, "provider_id": provider_message_id, "at": now}
        self._tx.defer(MARK_SENT, values)

    async def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        values = {"item": item_id, "error": error, "due": next_attempt_at}
        self._tx.defer(MARK_RETRY, values)

    async def mark_dead(self, item_id: int, error: str, now: datetime) -> None:
        self._tx.defer(MARK_DEAD, {"item": item_id, "error": error})

    async def mark_held(self, item_id: int, reason: str, now: datetime) -> None:
        self._tx.defer(MARK_HELD, {"item": item_id, "error": reason})

    async def mark_cancelled(self, item_id: int, reason: str, now: datetime) -> None:
        self._tx.defer(MARK_CANCELLED, {"item": item_id, "error": reason})

    async def cancel_pending(self, lead_id: str, reason: str, keep: frozenset[str]) -> int:
        update = (
            sa.update(outbox)
            .where(
                outbox.c.lead_id == lead_id,
                outbox.c.audience == CLIENT,
                outbox.c.state == PENDING,
                outbox.c.purpose.not_in(sorted(keep)),
            )
            .values(state=CANCELLED, last_error=reason)
        )
        return int((await self._tx.execute(update)).rowcount or 0)

    async def record_delivery(
        self, provider_message_id: str, status: str, at: datetime, error_code: int | None
    ) -> OutboxItem | None:
        query = (
            sa.select(outbox)
            .where(outbox.c.provider_message_id == provider_message_id)
            .order_by(outbox.c.id)
            .limit(1)
            .with_for_update()
        )
        row = (await self._tx.execute(query)).mappings().first()
        if row is None:
            return None
        current = row["delivery"]
        forward = DELIVERY_RANK.get(status, 0) > DELIVERY_RANK.get(current or "", 0)
        if current == FAILED or not (status == FAILED or forward):
            return codec.outbox_item_from_row(row)
        changes: dict[str, Any] = {"delivery": status, "delivery_at": at}
        if status == FAILED:
            changes["last_error"] = f"delivery failed ({error_code})"
        update = sa.update(outbox).where(outbox.c.id == row["id"]).values(**changes)
        await self._tx.execute(update)
        return codec.outbox_item_from_row({**row, **changes})

    async def for_lead(self, lead_id: str) -> list[OutboxItem]:
        query = sa.select(outbox).where(outbox.c.lead_id == lead_id).order_by(outbox.c.id)
        result = await self._tx.execute(query)
        return [codec.outbox_item_from_row(row) for row in result.mappings()]

    async def pending_count(self) -> int:
        query = sa.select(sa.func.count()).select_from(outbox).where(outbox.c.state == PENDING)
        return int((await self._tx.execute(query)).scalar_one())

    async def release_held(self, lead_id: str) -> int:
        release = (
            sa.update(outbox)
            .where(outbox.c.lead_id == lead_id, outbox.c.state == HELD)
            .values(state=PENDING, next_attempt_at=None, claimed_until=None)
            .returning(outbox.c.id)
        )
        released = len((await self._tx.execute(release)).all())
        self.appended = self.appended or released > 0  # wake the relays on commit
        return released
