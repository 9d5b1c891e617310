"""Alembic environment: async engines, URL passed programmatically (see ``adapters.sql.migrate``).

The URL comes from ``config.attributes["url"]`` (no ini file, no interpolation of
``%`` in passwords), else from the ``sqlalchemy.url`` option. On PostgreSQL an
advisory lock makes concurrent migrators (two replicas starting) take turns; on
SQLite the engine's ``BEGIN IMMEDIATE`` does the same. Either way the whole upgrade
is one transaction: Alembic would commit after each migration on SQLite (it takes
SQLite's DDL for non-transactional), and a second migrator waiting for the lock
would then read a revision half way and run the later migrations again.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from adapters.sql.engine import create_engine
from adapters.sql.tables import metadata

MIGRATION_LOCK_KEY = 0x1A4B_B00C  # pg_advisory_xact_lock key shared by all migrators

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: pass it in Config.attributes['url']")
    return str(url)


def _options(dialect_name: str) -> dict[str, object]:
    return {
        "target_metadata": metadata,
        "render_as_batch": dialect_name == "sqlite",
        "compare_type": True,
        # The engine runs SQLite without the driver's implicit transactions, so its
        # DDL is transactional: one transaction (and one write lock) for the whole run.
        "transactional_ddl": True,
    }


def run_offline() -> None:
    url = _url()
    dialect_name = url.split(":", 1)[0].split("+", 1)[0]
    context.configure(url=url, literal_binds=True, **_options(dialect_name))
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **_options(connection.dialect.name))
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        context.run_migrations()


async def run_online() -> None:
    engine = create_engine(_url(), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
