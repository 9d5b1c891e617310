"""``any_api``: the real app on SQLite and on PostgreSQL in turn (for storage-facing HTTP tests).

The test client runs the app on its own event loop (a portal thread); asyncpg
connections belong to one loop, so the test reads through a store of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.sql import SqlStore
from adapters.system.clock import SystemClock
from tests.integration import databases
from tests.integration.test_http_support import Api, running, settings_for


class BackendApi(Api):
    def __init__(self, api: Api, reader: SqlStore) -> None:
        super().__init__(api.client, api.container)
        self.reader = reader

    def store(self) -> Any:
        return self.reader


@contextlib.asynccontextmanager
async def backend_api(request: pytest.FixtureRequest, tmp_path: Path,
                      backend: str) -> AsyncIterator[BackendApi]:
    overrides: dict[str, str] = {}
    if backend == "postgres":
        request.getfixturevalue("postgres_database")  # sync, session-wide: migrated once
        async with databases.postgres_store() as emptied:
            overrides["database_url"] = emptied.engine.url.render_as_string(hide_password=False)
    settings = settings_for(tmp_path, migrate=backend == "sqlite", **overrides)
    reader = SqlStore(settings.database_url, clock=SystemClock())
    try:
        async with running(settings) as api:
            yield BackendApi(api, reader)
    finally:
        await reader.dispose()


@pytest.fixture(params=("sqlite", "postgres"))
async def any_api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BackendApi]:
    async with backend_api(request, tmp_path, request.param) as api:
        yield api


@pytest.fixture
async def postgres_api(request: pytest.FixtureRequest,
                       tmp_path: Path) -> AsyncIterator[BackendApi]:
    async with backend_api(request, tmp_path, "postgres") as api:
        yield api
