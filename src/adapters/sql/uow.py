"""SqlStore (owns the engine) and SqlUnitOfWork (one transaction over every repository)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.sql import codec
from adapters.sql.api_keys import SqlApiKeys
from adapters.sql.engine import SQLITE_BUSY_TIMEOUT_MS, create_engine
from adapters.sql.leads import SqlLeadRepo
from adapters.sql.migrate import aupgrade
from adapters.sql.notify import OutboxListener, asyncpg_dsn, notify_statement
from adapters.sql.outbox import SqlOutbox
from adapters.sql.pg_batch import PgBatch, PgBatchUnitOfWork
from adapters.sql.privacy import SqlPrivacy, SqlSweeps
from adapters.sql.tables import events, processed
from adapters.sql.tx import Transaction
from adapters.sql.users import SqlUsers
from core.domain.events import Event
from ports.clock import Clock

INSERT_EVENT = sa.insert(events)
RELEASE = sa.delete(processed).where(processed.c.key.in_(sa.bindparam("keys", expanding=True)))


class SqlUnitOfWork:
    """Everything in one transaction; rolled back on exit unless committed (B-3, B-25).

    The transaction opens with the first statement. After ``commit`` or
    ``rollback`` the unit of work may be used again: the next statement opens a
    new transaction.
    """

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._tx = Transaction(store.engine, store.writer, store.writer_wait)
        self.leads = SqlLeadRepo(self._tx, store.clock)
        self.outbox = SqlOutbox(self._tx)
        self.sweeps = SqlSweeps(self._tx)  # issue 10
        self.privacy = SqlPrivacy(self._tx)
        self.api_keys = SqlApiKeys(self._tx)
        self.users = SqlUsers(self._tx)  # inbox logins

    async def claim(self, key: str) -> bool:
        """Record ``key`` as processed; False if another transaction already did (B-3).

        ``ON CONFLICT DO NOTHING``: a concurrent, uncommitted claim of the same key
        makes this one wait for it, then returns nothing if it committed.
        """
        params = {"key": key, "at": self._store.clock.now()}
        return (await self._tx.execute(self._claim_statement(), params)).first() is not None

    async def claim_many(self, keys: Sequence[str]) -> set[str]:
        """:meth:`claim` for many keys: one multi-row insert, in key order (no deadlocks)."""
        unique = sorted(set(keys))
        if not unique:
            return set()
        at = self._store.clock.now()
        result = await self._tx.execute(self._claim_statement(),
                                        [{"key": key, "at": at} for key in unique])
        return set(result.scalars())

    async def release(self, keys: Sequence[str]) -> None:
        if keys:
            await self._tx.execute(RELEASE, {"keys": list(keys)})

    def _claim_statement(self) -> Any:
        statement = self._store.claim_statement
        if statement is None:
            insert = self._tx.insert_ignoring_conflicts(processed, "key")
            values = insert.values(key=sa.bindparam("key"), at=sa.bindparam("at"))
            statement = self._store.claim_statement = values.returning(processed.c.key)
        return statement

    async def record_event(self, event: Event) -> None:
        """Sent with the next statement or the commit (nobody reads the result)."""
        self._tx.defer(INSERT_EVENT, codec.event_values(event), commutes=True)

    async def events(self, lead_id: str | None = None, kind: str | None = None) -> list[Event]:
        query = sa.select(events).order_by(events.c.id)
        if lead_id is not None:
            query = query.where(events.c.lead_id == lead_id)
        if kind is not None:
            query = query.where(events.c.kind == kind)
        return [codec.event_from_row(row) for row in (await self._tx.execute(query)).mappings()]

    async def commit(self) -> None:
        appended, self.outbox.appended = self.outbox.appended, False
        if appended and self._tx.dialect == "postgresql":
            await self._tx.execute(notify_statement())  # delivered on commit only
        await self._tx.commit()
        if appended:
            self._store.listener.wake()

    async def rollback(self) -> None:
        self.outbox.appended = False
        await self._tx.rollback()

    async def __aenter__(self) -> SqlUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()


class SqlStore:
    """One database: ``uow()`` for each unit of work, ``wait_for_work`` for relays.

    ``SqlStore(url, clock=..., **engine_options)`` builds its engine with
    :func:`create_engine` (options such as ``pool_size`` go to SQLAlchemy); ``clock``
    stamps what the store records itself (B-39). Call :meth:`dispose` on shutdown.

    ``batch_uow()`` gives the group commit's units of work: on PostgreSQL the asyncpg
    path of :mod:`adapters.sql.pg_batch`, on a pool of ``batch_connections`` connections
    opened with the engine's ``connect_args`` (the same timeouts and server settings);
    on SQLite the ordinary ``uow()``.
    """

    def __init__(self, url: str | URL, *, clock: Clock, batch_connections: int = 2,
                 **engine_options: Any) -> None:
        self.clock = clock
        self.engine = engine = create_engine(url, **engine_options)
        sqlite = engine.dialect.name == "sqlite"
        self.name = "sqlite" if sqlite else "postgres"
        # SQLite has one writer at a time: units of work never overlap their writes.
        self.parallel_writers = not sqlite
        # Concurrent webhooks' messages may share one transaction (issue 12): on
        # PostgreSQL only; SQLite's single writer gains nothing from it.
        self.group_commit = not sqlite
        # In-process queue for SQLite's single writer (see Transaction).
        self.writer = asyncio.Lock() if sqlite else None
        self.writer_wait = SQLITE_BUSY_TIMEOUT_MS / 1000
        self.listener = OutboxListener(None if sqlite else engine.url)
        self.claim_statement: Any = None  # built on first use, in this database's dialect
        self.batch = None if sqlite else PgBatch(
            asyncpg_dsn(engine.url), engine_options.get("connect_args", {}),
            batch_connections, clock, self.listener)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self)

    def batch_uow(self) -> SqlUnitOfWork | PgBatchUnitOfWork:
        """A unit of work for ``HandleInboundBatch`` (see the class docstring)."""
        return self.uow() if self.batch is None else self.batch.uow()

    async def wait_for_work(self, timeout: float) -> None:
        """Return when a commit may have queued outbox messages, or after ``timeout`` s."""
        await self.listener.wait(timeout)

    async def migrate(self) -> None:
        """Apply the migrations to this store's database (see :mod:`adapters.sql.migrate`)."""
        await aupgrade(self.engine.url)

    async def dispose(self) -> None:
        await self.listener.close()
        if self.batch is not None:
            await self.batch.close()
        await self.engine.dispose()
