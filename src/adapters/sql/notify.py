"""Waking outbox relays after a commit that queued messages (B-25).

PostgreSQL: the unit of work issues ``NOTIFY inkbook_outbox`` inside its
transaction (delivered on commit, dropped on rollback) and every listener holds
one dedicated asyncpg connection with ``LISTEN inkbook_outbox``, so relays in
other processes wake too. SQLite has no such channel: the store wakes its own
process after commit; other processes on the same file notice on their timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

CHANNEL = "inkbook_outbox"
CONNECT_TIMEOUT = 5.0


def notify_statement() -> sa.TextClause:
    return sa.text(f"NOTIFY {CHANNEL}")


def asyncpg_dsn(url: str | URL) -> str:
    """A plain ``postgresql://`` DSN for asyncpg from a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class OutboxListener:
    """``await wait(timeout)`` returns when there may be new work, or after ``timeout``.

    Wake-ups are never lost: one that arrives while nobody waits makes the next
    ``wait`` return at once. Returning early is harmless (the relay just claims
    and finds nothing), so the first ``wait`` after (re)connecting returns at once
    to cover anything committed before ``LISTEN`` took effect.
    """

    def __init__(self, postgres_url: str | URL | None = None) -> None:
        self._dsn = None if postgres_url is None else asyncpg_dsn(postgres_url)
        self._event = asyncio.Event()
        self._connection: Any = None
        self._connecting = asyncio.Lock()

    def wake(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> None:
        if self._dsn is not None and self._connection is None and await self._listen():
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._event.wait()
        self._event.clear()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            await connection.close()

    async def _listen(self) -> bool:
        """Open the LISTEN connection; True once it listens (False: fall back to timeouts)."""
        async with self._connecting:
            if self._connection is not None:
                return False
            try:
                connection = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, asyncpg.PostgresError):
                return False
            await connection.add_listener(CHANNEL, self._on_notify)
            connection.add_termination_listener(self._on_lost)
            self._connection = connection
            return True

    def _on_notify(self, *_args: Any) -> None:
        self._event.set()

    def _on_lost(self, *_args: Any) -> None:
        self._connection = None
        self._event.set()
