"""The working-hours calendar on the database: the ``Calendar`` port (B-35, B-36, B-37).

Free slots are the studio's working hours minus its active bookings (plus the
buffer), by :func:`core.domain.slots.free_slots`. Each ``book`` or ``cancel`` is
its own short transaction, apart from any unit of work, like a call to an outside
calendar: a use case books, then records the booking on the lead, and may simply
retry (booking is idempotent per studio, lead and start).

Two clients can never hold one time: on PostgreSQL the ``ex_bookings_studio_time``
exclusion constraint refuses the second insert; on SQLite the overlap check runs
inside the booking's ``BEGIN IMMEDIATE`` transaction, which holds the write lock.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from adapters.sql.tables import bookings
from adapters.sql.tx import Transaction
from core.domain.slots import SlotRules, free_slots
from ports.calendar import CalendarUnavailable, Slot, SlotTaken

ACTIVE = bookings.c.cancelled.is_(False)


class SqlHoursCalendar:
    """One studio's ``{kind: hours}`` calendar on a :class:`adapters.sql.SqlStore`."""

    def __init__(self, store: Any, rules: SlotRules) -> None:
        self.rules = rules
        self._store = store  # a SqlStore: its engine, clock and (SQLite) writer queue

    async def free_slots(
        self, studio: str, start: datetime, end: datetime, length: timedelta, limit: int
    ) -> list[Slot]:
        margin = self.rules.buffer
        query = sa.select(bookings.c.start, bookings.c.end).where(
            bookings.c.studio == studio,
            ACTIVE,
            bookings.c.start < end + margin,
            bookings.c.clear_until > start - margin,
        )
        rows = await self._run(lambda tx: tx.execute(query))
        busy = [Slot(start=row.start, end=row.end) for row in rows]
        return free_slots(self.rules, start, end, length, busy, limit)

    async def book(
        self, studio: str, slot: Slot, lead_id: str, title: str, description: str = ""
    ) -> str:
        try:
            return await self._run(
                lambda tx: self._book(tx, studio, slot, lead_id, title, description)
            )
        except IntegrityError:  # PostgreSQL: a concurrent booking won the race
            same = await self._run(lambda tx: self._same(tx, studio, lead_id, slot.start))
            if same is not None:
                return same
            raise SlotTaken(f"{slot.start.isoformat()} is no longer free") from None

    async def cancel(self, studio: str, reference: str) -> None:
        statement = (
            sa.update(bookings)
            .where(bookings.c.studio == studio, bookings.c.reference == reference)
            .values(cancelled=True)
        )
        await self._run(lambda tx: tx.execute(statement))

    async def _book(
        self, tx: Transaction, studio: str, slot: Slot, lead_id: str, title: str, description: str
    ) -> str:
        same = await self._same(tx, studio, lead_id, slot.start)
        if same is not None:
            return same  # a retry of the same booking
        clear_until = slot.end + self.rules.buffer
        clash = sa.select(bookings.c.reference).where(
            bookings.c.studio == studio,
            ACTIVE,
            bookings.c.start < clear_until,
            bookings.c.clear_until > slot.start,
        )
        if (await tx.execute(clash.limit(1))).first() is not None:
            raise SlotTaken(f"{slot.start.isoformat()} is no longer free")
        reference = f"booking_{uuid.uuid4().hex}"
        values = {
            "reference": reference,
            "studio": studio,
            "lead_id": lead_id,
            "start": slot.start,
            "end": slot.end,
            "clear_until": clear_until,
            "title": title,
            "description": description,
            "cancelled": False,
            "created_at": self._store.clock.now(),
        }
        await tx.execute(sa.insert(bookings).values(**values))
        return reference

    @staticmethod
    async def _same(tx: Transaction, studio: str, lead_id: str, start: datetime) -> str | None:
        query = sa.select(bookings.c.reference).where(
            bookings.c.studio == studio, bookings.c.lead_id == lead_id, bookings.c.start == start
        )
        return (await tx.execute(query.where(ACTIVE))).scalar()

    async def _run(self, work: Any) -> Any:
        """``work(tx)`` in one transaction, committed; a database fault is unavailability."""
        store = self._store
        tx = Transaction(store.engine, store.writer, store.writer_wait)
        try:
            result = await work(tx)
            if isinstance(result, sa.CursorResult):
                result = result.all() if result.returns_rows else None
            await tx.commit()
            return result
        except (SlotTaken, IntegrityError):
            await tx.rollback()
            raise
        except (DBAPIError, OSError, TimeoutError) as error:
            await tx.rollback()
            raise CalendarUnavailable(f"bookings: {type(error).__name__}: {error}") from error
        except BaseException:
            await tx.rollback()
            raise
