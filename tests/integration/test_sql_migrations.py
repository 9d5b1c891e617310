"""Alembic migrations shipped in ``adapters.sql``: from empty, idempotent, equal to tables.py."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from adapters.sql import aupgrade, create_engine, current, head, upgrade
from adapters.sql.migrate import MIGRATIONS, acurrent, alembic_config
from adapters.sql.tables import metadata
from tests.integration import databases, postgres_server
from tests.integration.postgres_server import PostgresDatabase

HEAD = head()
TABLES = {
    *("leads", "answers", "messages", "transitions", "processed", "events", "outbox"),
    "bookings",  # issue 9
    "users",  # issue 14
}


async def _inspect(url: str) -> tuple[set[str], list[object]]:
    """(table names, differences between the database and ``tables.metadata``)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:

            def read(sync: sa.Connection) -> tuple[set[str], list[object]]:
                context = MigrationContext.configure(sync, opts={"compare_type": True})
                names = set(sa.inspect(sync).get_table_names())
                return names, compare_metadata(context, metadata)

            return await connection.run_sync(read)
    finally:
        await engine.dispose()


@pytest.fixture
async def empty_postgres_url(
    postgres_database: PostgresDatabase,
) -> AsyncIterator[str]:
    """A brand-new PostgreSQL database with nothing in it, dropped after the test."""
    url = await postgres_server.create_database(postgres_database.server_url)
    if url is None:
        pytest.fail("the test role may not CREATE DATABASE: grant CREATEDB", pytrace=False)
    try:
        yield url
    finally:
        await postgres_server.drop_database(postgres_database.server_url, url)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("empty_postgres_url"))
    return databases.sqlite_url(tmp_path / "not-yet-there.db")


async def test_upgrade_applies_from_empty_and_is_idempotent(empty_url: str) -> None:
    assert await acurrent(empty_url) is None
    await aupgrade(empty_url)
    assert await acurrent(empty_url) == HEAD
    await aupgrade(empty_url)  # a second run changes nothing and does not fail
    assert await acurrent(empty_url) == HEAD
    names, differences = await _inspect(empty_url)
    assert names >= TABLES
    assert differences == []  # the migrations create exactly what tables.py declares


async def test_downgrade_to_base_and_upgrade_again(empty_url: str) -> None:
    await aupgrade(empty_url)
    await asyncio.to_thread(command.downgrade, alembic_config(empty_url), "base")
    assert await acurrent(empty_url) is None
    names, _ = await _inspect(empty_url)
    assert not names & TABLES
    await aupgrade(empty_url)
    assert await acurrent(empty_url) == HEAD


async def test_concurrent_upgrades_from_several_processes_take_turns(empty_url: str) -> None:
    """Replicas starting at once all succeed (advisory lock / BEGIN IMMEDIATE)."""
    script = "import sys; from adapters.sql import upgrade; upgrade(sys.argv[1])"
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, empty_url, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = [await process.communicate() for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], results
    assert await acurrent(empty_url) == HEAD
    await aupgrade(empty_url)  # and in this process, concurrently with nothing: a no-op
    await asyncio.gather(aupgrade(empty_url), aupgrade(empty_url))  # threads take turns too


def test_an_upgrade_from_empty_is_one_transaction_on_sqlite(tmp_path: Path) -> None:
    """A migrator waiting for the write lock sees nothing or head, never a revision half way.

    Alembic commits after each migration on SQLite unless told its DDL is transactional;
    a second replica then read, say, 0003 and ran 0004 again (duplicate column).
    """
    commits: list[object] = []

    def count(connection: sa.Connection) -> None:
        commits.append(connection)

    sa.event.listen(sa.engine.Engine, "commit", count)
    try:
        upgrade(databases.sqlite_url(tmp_path / "once.db"))
    finally:
        sa.event.remove(sa.engine.Engine, "commit", count)
    assert len(commits) == 1


def test_upgrade_and_current_are_plain_functions_too(tmp_path: Path) -> None:
    url = databases.sqlite_url(tmp_path / "sync.db")
    assert current(url) is None
    upgrade(url)
    assert current(url) == HEAD


async def test_upgrade_called_inside_a_running_loop_still_works(tmp_path: Path) -> None:
    url = databases.sqlite_url(tmp_path / "in-loop.db")
    upgrade(url)  # runs in a worker thread instead of failing on the running loop
    assert current(url) == HEAD


def test_the_default_relative_sqlite_url_creates_its_file_but_never_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing folder is a mistake to report (settings do, in one line), not to paper over."""
    monkeypatch.chdir(tmp_path)
    upgrade("sqlite+aiosqlite:///./inkbook.db")
    assert (tmp_path / "inkbook.db").is_file()
    assert current("sqlite+aiosqlite:///./inkbook.db") == HEAD
    with pytest.raises(Exception, match="unable to open database file"):
        upgrade("sqlite+aiosqlite:///./data/nested/inkbook.db")
    assert not (tmp_path / "data").exists()


def test_the_migrations_live_inside_the_package() -> None:
    """No alembic.ini at the root: env.py, the template and revisions ship in the wheel."""
    package = Path(__file__).parents[2] / "src" / "adapters" / "sql"
    assert package / "migrations" == MIGRATIONS
    for needed in ("env.py", "script.py.mako", "__init__.py", "versions/__init__.py"):
        assert (MIGRATIONS / needed).is_file(), needed
    assert not (package.parents[2] / "alembic.ini").exists()


async def test_sqlite_connections_get_wal_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            pragmas = {
                name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
    finally:
        await engine.dispose()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 10_000, "foreign_keys": 1}
