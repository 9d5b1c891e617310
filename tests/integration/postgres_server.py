"""The PostgreSQL server for the integration tests, and one fresh database per process.

The server comes from, in order:

1. ``INKBOOK_TEST_DATABASE_URL`` (a server URL: a fresh database is created on it
   if the role may, else that database itself is used and emptied);
2. a throwaway container (testcontainers) when a Docker engine answers;
3. a server on 127.0.0.1:5432, user ``postgres`` (trust auth, as in CI).

Otherwise the tests fail, never skip, saying how to provide one. The database
``inkbook_test_<time>_<random>`` is migrated once with ``upgrade()`` and dropped
at the end of the session (or when the process exits).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from adapters.sql import upgrade
from adapters.sql.notify import asyncpg_dsn

ENV = "INKBOOK_TEST_DATABASE_URL"
LOCAL_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
PROBE_TIMEOUT = 2.0
PREFIX = "inkbook_test_"
ABANDONED_AFTER = 24 * 3600  # seconds
HOW_TO = f"""no PostgreSQL for the integration tests. Provide one of:
  - {ENV}=postgresql+asyncpg://USER:PASSWORD@HOST:PORT/DB (a server where USER may CREATE DATABASE)
  - a running Docker engine (a postgres:16-alpine container is started with testcontainers)
  - a local server on 127.0.0.1:5432 accepting user "postgres", e.g.
      pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"""


class PostgresUnavailable(RuntimeError):
    pass


@dataclass
class PostgresDatabase:
    url: str  # the test database, migrated (postgresql+asyncpg://...)
    source: str  # where the server came from: env, docker or local
    server_url: str  # connects to the server as the role that created ``url``
    created: bool  # whether ``url`` is ours to drop
    container: Any = None


def with_asyncpg(url: str) -> str:
    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


async def _answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(asyncpg_dsn(url), timeout=PROBE_TIMEOUT)
    except (OSError, TimeoutError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=PROBE_TIMEOUT).ping()
    except Exception:  # no SDK, no socket, no daemon: all mean "no Docker"
        return False
    return True


def _start_container() -> tuple[str, Any]:
    from testcontainers.postgres import PostgresContainer

    container = PostgresContainer("postgres:16-alpine", driver="asyncpg").start()
    return container.get_connection_url(), container


def _find_server() -> tuple[str, str, Any]:
    """(server URL, source, container or None), in the documented order."""
    if os.environ.get(ENV):
        url = with_asyncpg(os.environ[ENV])
        if not asyncio.run(_answers(url)):
            raise PostgresUnavailable(f"{ENV} is set but {make_url(url)!r} does not answer")
        return url, "env", None
    if _docker_answers():
        url, container = _start_container()
        return url, "docker", container
    if asyncio.run(_answers(LOCAL_SERVER)):
        return LOCAL_SERVER, "local", None
    raise PostgresUnavailable(HOW_TO)


async def create_database(server_url: str) -> str | None:
    """A fresh database on the server; None if this role may not create one.

    Names carry their creation time: test databases left behind by a killed run
    (SIGTERM skips the clean-up) are dropped once they are a day old.
    """
    name = f"{PREFIX}{int(time.time())}_{secrets.token_hex(3)}"
    connection = await asyncpg.connect(asyncpg_dsn(server_url))
    try:
        await _drop_abandoned(connection)
        await connection.execute(f'CREATE DATABASE "{name}"')
    except asyncpg.InsufficientPrivilegeError:
        return None
    finally:
        await connection.close()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_abandoned(connection: asyncpg.Connection) -> None:
    rows = await connection.fetch(
        "SELECT datname FROM pg_database WHERE datname LIKE $1", PREFIX.replace("_", r"\_") + "%"
    )
    for row in rows:
        created = row["datname"].removeprefix(PREFIX).split("_")[0]
        if created.isdigit() and time.time() - int(created) > ABANDONED_AFTER:
            with suppress(asyncpg.PostgresError):  # in use after all, or not ours to drop
                await connection.execute(f'DROP DATABASE "{row["datname"]}"')


async def drop_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    connection = await asyncpg.connect(asyncpg_dsn(server_url))
    try:
        await connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        await connection.close()


_lock = threading.Lock()
_database: PostgresDatabase | None = None


def postgres_database() -> PostgresDatabase:
    """The process's migrated test database, set up on first use."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _postgres_database()
    with ThreadPoolExecutor(max_workers=1) as pool:  # it runs event loops of its own
        return pool.submit(_postgres_database).result()


def _postgres_database() -> PostgresDatabase:
    global _database
    with _lock:
        if _database is None:
            server, source, container = _find_server()
            if container is not None:
                atexit.register(container.stop)
            created = asyncio.run(create_database(server))
            database = PostgresDatabase(
                url=created or server,
                source=source,
                server_url=server,
                created=created is not None,
                container=container,
            )
            atexit.register(close_postgres)
            upgrade(database.url)
            _database = database
        return _database


def close_postgres() -> None:
    """Drop the test database (idempotent; also registered with atexit)."""
    global _database
    with _lock:
        database, _database = _database, None
    if database is not None and database.created:
        with suppress(OSError, asyncpg.PostgresError):
            asyncio.run(drop_database(database.server_url, database.url))
