"""One database transaction, opened on first use, shared by the repositories of a unit of work."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn

from adapters.sql import nul


class Transaction:
    """A connection and its transaction, opened lazily, ended by commit or rollback.

    On SQLite, ``writer`` (one asyncio lock per store) queues this process's units of
    work before ``BEGIN IMMEDIATE``, so they wait in line instead of polling the
    file lock; other processes are still kept out by SQLite itself.

    Writes that return nothing may be deferred: they are sent, runs of the same
    statement batched into one executemany, before the next statement or the commit,
    so the relay's many small "mark" updates cost one round trip per batch.
    """

    def __init__(self, engine: AsyncEngine, writer: asyncio.Lock | None, wait: float) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._writer = writer
        self._wait = wait
        self._connection: AsyncConnection | None = None
        self._holding = False
        self._deferred: list[tuple[Any, list[dict[str, Any]]]] = []
        self._commuting: dict[int, list[dict[str, Any]]] = {}  # id(statement) -> its rows
        # Leads locked (or created) in this transaction: saving one needs no rowcount.
        self.locked: set[str] = set()

    async def connection(self) -> AsyncConnection:
        if self._connection is not None:
            return self._connection
        if self._writer is not None:
            async with asyncio.timeout(self._wait):
                await self._writer.acquire()
            self._holding = True
        try:
            connection = await self.engine.connect()
            try:
                await connection.begin()
            except BaseException:
                await connection.close()
                raise
        except BaseException:
            self._release()
            raise
        self._connection = connection
        return connection

    async def execute(self, statement: Any, parameters: Any = None) -> CursorResult[Any]:
        connection = await self.connection()
        await self._flush(connection)
        return await connection.execute(statement, parameters)

    async def execute_alone(self, statement: Any, parameters: Any = None) -> list[Any]:
        """One statement that is a whole unit of work, committed: its rows as mappings.

        PostgreSQL runs it in autocommit: one round trip, no BEGIN or COMMIT, atomic as
        any single statement; a prebuilt statement (the relay's claims and marks) goes
        straight to the asyncpg driver (:class:`_Direct`), the rest through SQLAlchemy.
        SQLite runs it as a transaction of its own (in line with this process's
        writers). Only before this transaction has begun."""
        if self._connection is not None or self._deferred:
            raise RuntimeError("execute_alone inside an open transaction")
        if self.dialect != "postgresql":
            result = await self.execute(statement, parameters)
            rows = list(result.mappings()) if result.returns_rows else []
            await self.commit()
            return rows
        direct = _direct(statement, self.engine.dialect)
        if direct is not None:
            return await direct.run(self.engine, parameters or {})
        async with self.engine.connect() as connection:
            # per connection: cheaper than an engine copy with the option (its events)
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await connection.execute(statement, parameters)
            return list(result.mappings()) if result.returns_rows else []

    def defer(self, statement: Any, parameters: dict[str, Any], *, commutes: bool = False) -> None:
        """Queue a write whose result nobody reads (same ``statement`` object: one batch).

        ``commutes``: the write may be sent before deferred writes of other statements
        queued after it (inserts of new rows, the update of a locked lead): it joins
        the first batch of its statement, so a group commit's many decisions cost one
        executemany per table.
        """
        if commutes:
            rows = self._commuting.get(id(statement))
            if rows is not None:
                rows.append(parameters)
                return
            self._commuting[id(statement)] = rows = [parameters]
            self._deferred.append((statement, rows))
        elif self._deferred and self._deferred[-1][0] is statement:
            if id(statement) in self._commuting:  # that batch is open to later rows: keep it
                self._deferred.append((statement, [parameters]))
            else:
                self._deferred[-1][1].append(parameters)
        else:
            self._deferred.append((statement, [parameters]))

    async def commit(self) -> None:
        if self._deferred:
            await self._flush(await self.connection())
        await self._end(commit=True)

    async def rollback(self) -> None:
        self._deferred.clear()
        self._commuting.clear()
        await self._end(commit=False)

    async def _flush(self, connection: AsyncConnection) -> None:
        self._commuting.clear()
        while self._deferred:
            statement, rows = self._deferred.pop(0)
            await connection.execute(statement, rows)

    async def _end(self, *, commit: bool) -> None:
        self.locked.clear()
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if commit:
                await connection.commit()
            else:
                await connection.rollback()
        finally:
            try:
                await connection.close()
            finally:
                self._release()

    def _release(self) -> None:
        if self._holding and self._writer is not None:
            self._holding = False
            self._writer.release()

    def insert_ignoring_conflicts(self, table: sa.Table, *columns: str) -> Any:
        """``INSERT ... ON CONFLICT (columns) DO NOTHING`` in this database's dialect."""
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        return insert(table).on_conflict_do_nothing(index_elements=list(columns) or None)


class _Direct:
    """A prebuilt statement compiled once (the asyncpg dialect's ``$n`` SQL) and run on the
    pooled connection's asyncpg driver, without SQLAlchemy's execution layer.

    Issue 12: the relay's claims and marks are each a unit of work of one statement;
    through ``AsyncConnection.execute`` the connection, its events, the greenlet bridge
    and result processing cost about a third of the relay's CPU. Here the parameters
    get the same bind processing (:class:`~adapters.sql.columns.UtcDateTime` refuses a
    naive datetime) and the same NUL scrubbing (B-45); the rows come back as asyncpg
    decodes them with the codecs SQLAlchemy set on the connection (JSON via msgspec,
    ``timestamptz`` as aware UTC), as dicts.
    """

    def __init__(self, compiled: Any, dialect: Any) -> None:
        self.sql: str = compiled.string
        self.defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                         if not bind.required}  # the statement's literals
        self.binds = [(name, compiled.binds[name].type.bind_processor(dialect))
                      for name in compiled.positiontup or ()]

    async def run(self, engine: AsyncEngine, parameters: dict[str, Any]) -> list[Any]:
        values = {**self.defaults, **parameters}
        args = [values[name] if convert is None else convert(values[name])
                for name, convert in self.binds]
        if nul.has_nul(args):
            args = nul.scrub(args)
        raw = await engine.raw_connection()
        driver = raw.driver_connection
        try:
            rows = await driver.fetch(self.sql, *args)
        except BaseException as error:
            # A lost connection, a timeout or a cancellation may leave it unusable, and a
            # server's error may be its dying words (57P01): never pooled again, a new
            # one is opened when needed. Errors here are rare; a connection is cheap.
            await greenlet_spawn(raw.invalidate, error)
            raise
        finally:
            await greenlet_spawn(raw.close)  # back to the pool (closed, if invalidated)
        return [dict(row) for row in rows]


# Prebuilt statements (module constants) -> their direct form; None: not on that path.
_DIRECTS: weakref.WeakKeyDictionary[Any, _Direct | None] = weakref.WeakKeyDictionary()


def _direct(statement: Any, dialect: Any) -> _Direct | None:
    """The direct form of ``statement`` on asyncpg, built on first use; None for what it
    cannot take: a statement with an expanding ``IN`` (its SQL depends on the values)."""
    try:
        return _DIRECTS[statement]
    except KeyError:
        pass
    direct = None
    if dialect.driver == "asyncpg":
        compiled = statement.compile(dialect=dialect)
        if not any(bind.expanding for bind in compiled.binds.values()):
            direct = _Direct(compiled, dialect)
    _DIRECTS[statement] = direct
    return direct
