"""``create_engine``: one AsyncEngine per database, SQLite made safe for concurrent writers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.sql import nul

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _json_dumps(value: Any) -> str:
    text = msgspec.json.encode(value).decode()
    if nul.json_may_hold_nul(text):  # rare: only then walk the value (B-45)
        text = msgspec.json.encode(nul.scrub(value)).decode()
    return text


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str | URL) -> Path | None:
    """The database file of a SQLite URL; None for in-memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def timeout_options(url: str | URL, connect: float, statement: float) -> dict[str, Any]:
    """Engine options so a frozen PostgreSQL fails a unit of work within seconds.

    ``connect`` bounds opening a connection and waiting for one from the pool;
    ``statement`` bounds each statement, on the client (asyncpg's ``command_timeout``,
    which also covers a server that stopped answering) and on the server
    (``statement_timeout``). SQLite has its busy timeout instead: nothing here.
    """
    if is_sqlite(url):
        return {}
    return {
        "pool_timeout": connect,
        "connect_args": {
            "timeout": connect,
            "command_timeout": statement,
            "server_settings": {"statement_timeout": str(int(statement * 1000))},
        },
    }


def create_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An AsyncEngine with msgspec JSON; on SQLite, pragmas and ``BEGIN IMMEDIATE``.

    SQLite serialises writers: every transaction starts with ``BEGIN IMMEDIATE`` so a
    unit of work holds the write lock from its first statement to commit. That gives
    the same guarantees as the row locks and ``ON CONFLICT`` waits on PostgreSQL
    (B-3, B-6). WAL lets readers in other processes go on meanwhile.
    """
    engine = create_async_engine(
        url,
        json_serializer=_json_dumps,
        json_deserializer=msgspec.json.decode,
        # Statement parameters hold clients' messages and names: never in an error
        # text, so never in a log line (B-44).
        hide_parameters=True,
        **kwargs,
    )
    _guard_against_nul(engine)
    if engine.dialect.name == "sqlite":
        _serialise_sqlite_writers(engine)
    return engine


def _guard_against_nul(engine: AsyncEngine) -> None:
    """Every string parameter of every statement loses its NUL characters (B-45)."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute", retval=True)
    def scrub(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool
    ) -> tuple[str, Any]:
        if nul.has_nul(parameters):
            parameters = nul.scrub_parameters(parameters)
        return statement, parameters


def _serialise_sqlite_writers(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver, which would BEGIN lazily
        # (deferred) and not at all before DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
