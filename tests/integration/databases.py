"""Stores for the SQL adapter tests: a new SQLite file each, or the emptied PostgreSQL database.

``tests/contract/backends.py`` registers these as the "sqlite" and "postgres" backends.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from adapters.sql import SqlStore, aupgrade
from adapters.sql.tables import metadata
from adapters.system.clock import SystemClock
from tests.integration.postgres_server import PostgresUnavailable, postgres_database

CLOCK = SystemClock()


async def empty(store: SqlStore) -> None:
    """Remove every row so each test starts from an empty database.

    ``DELETE`` rather than ``TRUNCATE``: on a handful of rows it takes about a
    millisecond where ``TRUNCATE`` takes fifty. Ids are not restarted.
    """
    async with store.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(table.delete())


@asynccontextmanager
async def postgres_store() -> AsyncIterator[SqlStore]:
    """A store on the emptied PostgreSQL test database; fails the test if there is none."""
    try:
        database = await asyncio.to_thread(postgres_database)
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    store = SqlStore(database.url, clock=CLOCK)
    try:
        await empty(store)
        yield store
    finally:
        await store.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@asynccontextmanager
async def sqlite_store(directory: Path | None = None) -> AsyncIterator[SqlStore]:
    """A store on a new, migrated SQLite file (in ``directory`` or a temporary one)."""
    folder = directory or Path(tempfile.mkdtemp(prefix="inkbook-sqlite-"))
    url = sqlite_url(folder / "inkbook.db")
    await aupgrade(url)
    store = SqlStore(url, clock=CLOCK)
    try:
        yield store
    finally:
        await store.dispose()
        if directory is None:
            shutil.rmtree(folder, ignore_errors=True)


def off_the_asyncpg_path(store: SqlStore) -> Callable[[], Any]:
    """A group commit's unit-of-work factory whose opt-out look-up (every new lead makes
    one, B-40) is a port call the asyncpg path lacks: the batch must fall back."""

    def uow() -> Any:
        batch_uow = store.batch_uow()

        async def opted_out_among(keys: Any) -> set[str]:
            batch_uow.unsupported("privacy.opted_out_among (for this test)")

        batch_uow.privacy.opted_out_among = opted_out_among
        return batch_uow

    return uow
