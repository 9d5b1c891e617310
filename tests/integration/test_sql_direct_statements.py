"""The relay's one-statement units of work on PostgreSQL, run straight on the asyncpg driver
(issue 12): the same rows, checks and scrubbing as through SQLAlchemy, and a connection the
server dropped is not handed out again."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import pytest
import sqlalchemy as sa

from adapters.sql import SqlStore, nul
from adapters.sql.notify import asyncpg_dsn
from adapters.sql.tables import outbox
from ports.outbox import PENDING, SENT
from tests.contract.samples import T0, at, outgoing

LEASE = timedelta(seconds=60)


async def _append(store: SqlStore, *recipients: str) -> list[int]:
    async with store.uow() as uow:
        ids = await uow.outbox.append([outgoing(to, body=f"hello {to}") for to in recipients], T0)
        await uow.commit()
    return ids


async def _claim(store: SqlStore) -> list:
    async with store.uow() as uow:
        items = await uow.outbox.claim(at(1), 10, LEASE, per_recipient=5, commit=True)
        await uow.commit()
    return items


async def _row(store: SqlStore, item_id: int) -> dict:
    async with store.engine.connect() as connection:
        result = await connection.execute(sa.select(outbox).where(outbox.c.id == item_id))
        return dict(result.mappings().one())


async def test_B25_a_direct_claim_reads_back_what_sqlalchemy_wrote(
    postgres_store: SqlStore,
) -> None:
    ids = await _append(postgres_store, "447700900001", "447700900002")
    claimed = await _claim(postgres_store)
    async with postgres_store.uow() as uow:  # the same rows read through SQLAlchemy
        read = {item.id: item for item in await uow.outbox.for_lead("lead-1")}
    assert [item.id for item in claimed] == ids
    for item in claimed:
        assert item.message == read[item.id].message  # the JSON payload decoded alike
        assert item.created_at == read[item.id].created_at == T0
        assert item.created_at.utcoffset() == timedelta(0)  # an aware UTC instant
        assert (item.state, item.attempts, item.client_opted_out) == (PENDING, 0, False)
        assert (await _row(postgres_store, item.id))["claimed_until"] == at(1) + LEASE


async def test_B39_a_direct_statement_refuses_a_naive_datetime(postgres_store: SqlStore) -> None:
    await _append(postgres_store, "447700900003")
    naive = datetime(2026, 12, 2, 12, 0)  # naive: the point of the test
    async with postgres_store.uow() as uow:
        with pytest.raises(ValueError, match="naive datetime"):
            await uow.outbox.claim(naive, 10, LEASE, commit=True)
    async with postgres_store.uow() as uow:  # nothing was leased by the refused statement
        assert len(await uow.outbox.claim(at(1), 10, LEASE, commit=True)) == 1


async def test_B45_a_direct_mark_stores_a_provider_id_without_nul(
    postgres_store: SqlStore,
) -> None:
    (item_id,) = await _append(postgres_store, "447700900004")
    await _claim(postgres_store)
    async with postgres_store.uow() as uow:
        ready = await uow.outbox.sent_then_next([(item_id, "wamid.\x00A1")], at(2), [[]],
                                                commit=True)
    assert ready == set()
    stored = await _row(postgres_store, item_id)
    assert stored["state"] == SENT
    assert stored["provider_message_id"] == nul.scrub("wamid.\x00A1") != "wamid.\x00A1"
    assert stored["sent_at"] == at(2)
    assert stored["sent_at"].utcoffset() == timedelta(0)


async def test_B25_a_connection_the_server_dropped_is_not_handed_out_again(
    postgres_store: SqlStore,
) -> None:
    """The database restarts or an operator ends the relay's sessions: the statement on
    the dead connection fails, once; the relay's next pass claims as usual."""
    ids = await _append(postgres_store, "447700900005")
    await _claim(postgres_store)  # the pool keeps the connection the direct path used
    admin = await asyncpg.connect(asyncpg_dsn(postgres_store.engine.url))
    try:
        ended = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    finally:
        await admin.close()
    assert ended  # the pooled connection is gone on the server's side
    outcomes = []
    for _ in range(3):
        try:
            async with postgres_store.uow() as uow:
                await uow.outbox.sent_then_next([(ids[0], "wamid.B1")], at(2), [[]],
                                                commit=True)
            outcomes.append("ok")
        except Exception:  # whatever the dead connection raises
            outcomes.append("failed")
    assert outcomes in (["ok"] * 3, ["failed", "ok", "ok"])  # never the dead one twice
    stored = await _row(postgres_store, ids[0])
    assert stored["state"] == SENT and stored["provider_message_id"] == "wamid.B1"
    async with postgres_store.uow() as uow:
        assert await uow.outbox.pending_count() == 0
