"""Messages-per-second per sending number across every process (B-29), paced in the database.

Each number has one ``sender_pace`` row: when its next send slot opens (seconds since the
epoch, on the database's clock on PostgreSQL). A process that needs slots reserves a run of
them with one upsert (GCRA-style: ``next_slot = max(next_slot, now) + n * spacing``) and
hands them to its senders one by one, so every process together keeps to the spacing, and
the round trip is shared by the run. Slots are spaced ``1 / (rate * PACE)`` apart: any one
second holds at most ``rate * PACE`` (+1) slot starts, which leaves room for the jitter of
processes and network before the provider could count more than ``rate`` in a second. A
slot whose moment passed by more than ``LATE`` (a busy event loop) is dropped, never used
late, so sends never bunch up behind a pause.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sql.tables import sender_pace
from adapters.sql.tx import Transaction

PACE = 0.9  # slots at 90% of the rate: the margin for jitter between slot and arrival
LATE = 0.02  # seconds: a slot found later than this is dropped, not used
RUN = 0.25  # seconds of slots one reservation may take at most...
AHEAD = 0.02  # ...and at least (if that is more than the senders waiting): one reservation
# then serves a whole burst at high rates, and holds other processes back by 20 ms at most


def _reserve_statement(dialect: str) -> Any:
    """``:sender``'s next ``:span`` seconds of slots; returns the wait until the first one."""
    span = sa.bindparam("span", type_=sa.Double)
    if dialect == "postgresql":
        now: Any = sa.func.extract("epoch", sa.func.clock_timestamp())
        later: Any = sa.func.greatest
        insert: Any = postgresql.insert
    else:  # SQLite: one writer at a time; the processes on a file share the machine's clock
        now, later, insert = sa.bindparam("now", type_=sa.Double), sa.func.max, sqlite.insert
    statement = insert(sender_pace).values(sender=sa.bindparam("sender"), next_slot=now + span)
    statement = statement.on_conflict_do_update(
        index_elements=["sender"], set_={"next_slot": later(sender_pace.c.next_slot, now) + span}
    )
    return statement.returning(sa.cast(sender_pace.c.next_slot - span - now, sa.Double))


class SqlSenderThrottle:
    """``per_second`` for every number, or the number's own rate from ``rates`` (a studio's
    ``limits.messages_per_second``), shared by every process on the database."""

    def __init__(self, store: Any, per_second: float, rates: Mapping[str, float] | None = None):
        self._store = store
        self._rate = per_second
        self._rates = dict(rates or {})
        self._pacers: dict[str, _Pacer] = {}
        self._statement: Any = None
        self._autocommit: Any = None

    def rate(self, sender: str) -> float:
        """The number's own rate if its studio names one (Twilio's ``whatsapp:`` dropped)."""
        return self._rates.get(sender.removeprefix("whatsapp:"), self._rate)

    async def acquire(self, sender: str) -> None:
        pacer = self._pacers.get(sender)
        if pacer is None:
            spacing = 1.0 / (self.rate(sender) * PACE)

            async def reserve(count: int) -> float:
                return await self._reserve(sender, count * spacing)

            pacer = self._pacers[sender] = _Pacer(reserve, spacing)
        await pacer.acquire()

    async def _reserve(self, sender: str, span: float) -> float:
        store = self._store
        dialect = store.engine.dialect.name
        if self._statement is None:
            self._statement = _reserve_statement(dialect)
        params = {"sender": sender, "span": span, "now": time.time()}
        if dialect == "postgresql":  # one statement, one round trip: no BEGIN, no COMMIT
            if self._autocommit is None:
                self._autocommit = store.engine.execution_options(isolation_level="AUTOCOMMIT")
            async with self._autocommit.connect() as connection:
                wait = (await connection.execute(self._statement, params)).scalar_one()
        else:  # SQLite: in line with this process's other writers
            tx = Transaction(store.engine, store.writer, store.writer_wait)
            try:
                wait = (await tx.execute(self._statement, params)).scalar_one()
                await tx.commit()
            finally:
                await tx.rollback()  # nothing left to undo after a commit
        return max(0.0, float(wait))


class _Pacer:
    """One number's reserved slots in this process, handed out in order."""

    def __init__(self, reserve: Callable[[int], Awaitable[float]], spacing: float) -> None:
        self._reserve = reserve
        self._spacing = spacing
        self._run = max(1, int(RUN / spacing))
        self._ahead = max(1, int(AHEAD / spacing))
        self._slots: deque[float] = deque()  # time.monotonic() of each reserved slot
        self._wanting = 0  # senders waiting for a slot
        self._reserving = asyncio.Lock()

    async def acquire(self) -> None:
        while True:
            self._wanting += 1
            try:
                slot = await self._next_slot()
            finally:
                self._wanting -= 1
            wait = slot - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if time.monotonic() - slot <= LATE:
                return
            # woke too late for it (a busy event loop): that slot is gone, take another

    async def _next_slot(self) -> float:
        while True:
            now = time.monotonic()
            while self._slots and now - self._slots[0] > LATE:
                self._slots.popleft()
            if self._slots:
                return self._slots.popleft()
            async with self._reserving:
                if self._slots:
                    continue
                count = min(max(self._wanting, self._ahead), self._run)
                wait = await self._reserve(count)
                first = time.monotonic() + wait
                self._slots.extend(first + n * self._spacing for n in range(count))
