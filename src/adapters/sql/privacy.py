"""Sweeps and Privacy on SQL (issue 10, B-38, B-40): due leads, SKIP LOCKED, erasure."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa

from adapters.sql import codec
from adapters.sql.tables import (
    answers,
    bookings,
    events,
    leads,
    messages,
    optouts,
    outbox,
    processed,
)
from adapters.sql.tx import Transaction
from core.domain.erasure import forgotten
from core.domain.lead import Lead
from core.domain.outbound import Outgoing
from ports.outbox import HELD, PENDING
from ports.privacy import ERASED
from ports.sweeps import CREATED, QUIET, UPDATED, DueQuery

UNDELIVERED = (PENDING, HELD)
SINCE = {QUIET: leads.c.last_client_message_at, CREATED: leads.c.created_at,
         UPDATED: leads.c.updated_at}
TRY_LOCK = (
    sa.select(leads.c.version, leads.c.snapshot)
    .where(leads.c.id == sa.bindparam("lead_id"))
    .with_for_update(skip_locked=True)  # SQLite: the unit of work holds the write lock anyway
)


class SqlSweeps:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def due(self, query: DueQuery, limit: int) -> builtins.list[str]:
        statement = sa.select(leads.c.id).where(
            (leads.c.studio == query.studio)
            & leads.c.status.in_(query.statuses)
            & leads.c.erased_at.is_(None)
        )
        if query.since is not None and query.before is not None:
            statement = statement.where(SINCE[query.since] <= query.before)
        statement = statement.order_by(leads.c.created_at, leads.c.id).limit(limit)
        return list((await self._tx.execute(statement)).scalars())

    async def try_lock(self, lead_id: str) -> Lead | None:
        row = (await self._tx.execute(TRY_LOCK, {"lead_id": lead_id})).mappings().first()
        return None if row is None else codec.lead_from_row(row)


class SqlPrivacy:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def erase(self, lead_id: str, message_ids: Collection[str] = ()) -> None:
        execute = self._tx.execute
        if message_ids:  # keys are "provider:message id"
            suffixes = [processed.c.key.endswith(f":{m}", autoescape=True) for m in message_ids]
            await execute(sa.delete(processed).where(sa.or_(*suffixes)))
        await execute(sa.delete(answers).where(answers.c.lead_id == lead_id))
        await execute(sa.delete(messages).where(messages.c.lead_id == lead_id))
        await execute(sa.update(events).where(events.c.lead_id == lead_id).values(detail={}))
        of_lead = outbox.c.lead_id == lead_id
        await execute(sa.delete(outbox).where(of_lead & outbox.c.state.in_(UNDELIVERED)))
        await self._forget(of_lead)
        of_bookings = bookings.c.lead_id == lead_id
        await execute(sa.update(bookings).where(of_bookings).values(title="", description=""))

    async def forget_delivered(self) -> int:
        erased = sa.select(leads.c.id).where(leads.c.erased_at.is_not(None))
        return await self._forget(
            outbox.c.lead_id.in_(erased)
            & outbox.c.state.not_in(UNDELIVERED)
            & (outbox.c.recipient != ERASED)
        )

    async def _forget(self, where: Any) -> int:
        rows = (await self._tx.execute(sa.select(outbox.c.id, outbox.c.payload).where(where)))
        updates = [
            {"row_id": row.id, "payload": msgspec.to_builtins(
                forgotten(msgspec.convert(row.payload, Outgoing), ERASED))}
            for row in rows
        ]
        if updates:
            statement = (
                sa.update(outbox)
                .where(outbox.c.id == sa.bindparam("row_id"))
                .values(recipient=ERASED, payload=sa.bindparam("payload"), last_error=None)
            )
            await self._tx.execute(statement, updates)
        return len(updates)

    async def bookings(self, lead_id: str) -> builtins.list[dict[str, Any]]:
        query = sa.select(bookings).where(bookings.c.lead_id == lead_id).order_by(bookings.c.start)
        rows = (await self._tx.execute(query)).mappings()
        return [{k: v for k, v in row.items() if k != "clear_until"} for row in rows]

    async def remember_optout(self, key: str, studio: str, at: datetime) -> None:
        insert = self._tx.insert_ignoring_conflicts(optouts, "key")
        await self._tx.execute(insert.values(key=key, studio=studio, at=at))

    async def opted_out_among(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        query = sa.select(optouts.c.key).where(optouts.c.key.in_(sorted(set(keys))))
        return set((await self._tx.execute(query)).scalars())
