"""Fixtures for the integration tests: PostgreSQL and SQLite databases, SQL stores.

Every test under ``tests/integration`` is marked ``integration``. PostgreSQL is
found as ``postgres_server.py`` says (env var, Docker, local server) or the tests fail
with instructions; they are never skipped. ``store`` (both SQL backends) is the
fixture the contract suites expect, so ``test_sql_contract.py`` can run them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from adapters.sql import SqlStore, upgrade
from adapters.system.clock import SystemClock
from tests.contract.backends import BACKENDS, Store
from tests.integration import databases, postgres_server
from tests.integration.apis import any_api, postgres_api  # noqa: F401 (SQLite and PostgreSQL apps)
from tests.integration.deposit_support import backend_settings, service  # noqa: F401 (issue 8)
from tests.integration.graph_support import meta_relay  # noqa: F401 (issue 12: a fake Graph API)
from tests.integration.postgres_server import PostgresDatabase
from tests.integration.test_http_support import api, settings  # noqa: F401 (shared fixtures)

CLOCK = SystemClock()

SQL_BACKENDS = ("sqlite", "postgres")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase]:
    """The session's PostgreSQL database, migrated; dropped at the end."""
    try:
        database = postgres_server.postgres_database()
    except postgres_server.PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    yield database
    postgres_server.close_postgres()


@pytest.fixture
async def postgres_store(postgres_database: PostgresDatabase) -> AsyncIterator[SqlStore]:
    """A store on the PostgreSQL test database, emptied before the test."""
    async with databases.postgres_store() as store:
        yield store


@pytest.fixture
def postgres_url(postgres_store: SqlStore) -> str:
    """The URL of the emptied PostgreSQL test database."""
    return postgres_store.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite file in the test's temporary folder."""
    url = databases.sqlite_url(tmp_path / "inkbook.db")
    upgrade(url)
    return url


@pytest.fixture
async def sqlite_store(sqlite_url: str) -> AsyncIterator[SqlStore]:
    store = SqlStore(sqlite_url, clock=CLOCK)
    yield store
    await store.dispose()


@pytest.fixture(params=SQL_BACKENDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    """Each SQL backend in turn, through the contract tests' registry."""
    if request.param == "postgres":
        request.getfixturevalue("postgres_database")
    async with BACKENDS[request.param]() as backend:
        yield backend


@pytest.fixture(params=SQL_BACKENDS)
def sql_store(request: pytest.FixtureRequest) -> SqlStore:
    """Each SQL backend in turn, as a :class:`SqlStore` (for SQL-specific tests)."""
    return request.getfixturevalue(f"{request.param}_store")
