"""Apply the packaged Alembic migrations to a database URL, without an ini file."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import NullPool

from adapters.sql.engine import create_engine, sqlite_file

MIGRATIONS = Path(__file__).with_name("migrations")

T = TypeVar("T")

_alembic_lock = threading.Lock()


def alembic_config(url: str | URL) -> Config:
    """Alembic's configuration for ``url``, pointing at the migrations in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = make_url(url).render_as_string(hide_password=False)
    return config


def head() -> str:
    """The revision :func:`upgrade` migrates to."""
    revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if revision is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS}")
    return revision


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate ``url`` to ``revision``; idempotent; creates a SQLite file (not its folder)."""
    with _alembic_lock:  # alembic keeps its running context in module globals
        _outside_event_loop(lambda: command.upgrade(alembic_config(url), revision))


async def aupgrade(url: str | URL, revision: str = "head") -> None:
    """:func:`upgrade` from async code (it runs in a worker thread with its own loop)."""
    await asyncio.to_thread(upgrade, url, revision)


def current(url: str | URL) -> str | None:
    """The revision ``url`` is at; None for an empty (or missing SQLite) database."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return None
    return _outside_event_loop(lambda: asyncio.run(_current(url)))


async def acurrent(url: str | URL) -> str | None:
    return await asyncio.to_thread(current, url)


async def _current(url: str | URL) -> str | None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_revision)
    finally:
        await engine.dispose()


def _revision(connection: Connection) -> str | None:
    # Reading the revision is no migration: keep Alembic's "Will assume ..." chatter out.
    narrator = logging.getLogger("alembic.runtime.migration")
    level = narrator.level
    narrator.setLevel(logging.WARNING)
    try:
        return MigrationContext.configure(connection).get_current_revision()
    finally:
        narrator.setLevel(level)


def _outside_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` (which starts its own event loop) here, or in a thread if a loop runs."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
