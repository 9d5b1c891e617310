"""Issue 7: a frozen PostgreSQL (``kill -STOP``) costs a webhook a 503 within the
configured timeouts, not a hang for as long as it is frozen; it recovers without a
restart. The database sits behind a proxy that stops answering."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.integration import databases
from tests.integration.frozen_proxy import FrozenProxy
from tests.integration.postgres_server import PostgresDatabase
from tests.integration.test_http_support import message, running, settings_for, webhook

HANG_GUARD = 30  # seconds: only so a regression fails instead of hanging the suite


async def test_a_frozen_database_answers_503_and_recovers(
    postgres_database: PostgresDatabase, tmp_path: Path
) -> None:
    async with databases.postgres_store():  # emptied
        pass
    with FrozenProxy(postgres_database.url) as proxy:
        settings = settings_for(
            tmp_path, migrate=False, database_url=proxy.url,
            db_connect_timeout="1s", db_statement_timeout="1s",
        )
        async with running(settings) as api:
            try:
                async with asyncio.timeout(HANG_GUARD):
                    healthy = await api.post_meta(webhook([message("wamid.f1", "hi")]))
                    proxy.frozen.set()
                    frozen = await api.post_meta(webhook([message("wamid.f2", "a rose")]))
                    ready = await api.client.get("/readyz")
                    proxy.frozen.clear()
                    again = await api.post_meta(webhook([message("wamid.f2", "a rose")]))
            finally:
                proxy.frozen.clear()  # thaw, so closing the app cannot hang either

    assert healthy.status_code == 200
    assert frozen.status_code == 503 and frozen.headers["Retry-After"]
    assert ready.status_code == 503
    assert again.status_code == 200  # Meta's retry lands once the database is back
