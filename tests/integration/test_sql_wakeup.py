"""Relays wake up when a commit queues outbox messages (B-25): NOTIFY on PostgreSQL,
an in-process event on SQLite, the timeout otherwise."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg

from adapters.sql import SqlStore
from adapters.sql.notify import asyncpg_dsn
from adapters.system.clock import SystemClock
from tests.contract.samples import T0, outgoing

CLOCK = SystemClock()

PROMPT = 0.5  # seconds: a woken relay starts well within this


async def queue_one(store: SqlStore, *, commit: bool = True) -> None:
    async with store.uow() as uow:
        await uow.outbox.append([outgoing("447911000001")], T0)
        if commit:
            await uow.commit()


async def woken_after(relay: SqlStore, cause: Callable[[], Awaitable[None]]) -> float:
    """Seconds from ``cause()`` finishing to a waiting ``relay.wait_for_work`` returning."""
    waiting = asyncio.create_task(relay.wait_for_work(5))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await cause()
    started = time.perf_counter()
    await waiting
    return time.perf_counter() - started


async def test_notify_wakes_a_relay_in_another_process_on_commit(postgres_url: str) -> None:
    # two engines: two processes
    writer, relay = SqlStore(postgres_url, clock=CLOCK), SqlStore(postgres_url, clock=CLOCK)
    try:
        await relay.wait_for_work(5)  # the first wait starts LISTEN and returns at once
        assert await woken_after(relay, lambda: queue_one(writer)) < PROMPT
    finally:
        await writer.dispose()
        await relay.dispose()


async def test_no_wake_up_without_a_committed_message(postgres_url: str) -> None:
    writer, relay = SqlStore(postgres_url, clock=CLOCK), SqlStore(postgres_url, clock=CLOCK)
    try:
        await relay.wait_for_work(5)
        await queue_one(writer, commit=False)  # rolled back: NOTIFY is dropped with it
        async with writer.uow() as uow:  # committed, but no outbox message
            await uow.claim("wamid.1")
            await uow.commit()
        started = time.perf_counter()
        await relay.wait_for_work(0.3)
        assert time.perf_counter() - started >= 0.29
    finally:
        await writer.dispose()
        await relay.dispose()


async def test_a_wake_up_before_the_wait_is_not_lost(sql_store: SqlStore) -> None:
    await sql_store.wait_for_work(0)  # listening (PostgreSQL) from here on
    await queue_one(sql_store)
    await asyncio.sleep(0.1)
    started = time.perf_counter()
    await sql_store.wait_for_work(5)
    assert time.perf_counter() - started < PROMPT


async def test_the_same_process_wakes_at_once_on_either_backend(sql_store: SqlStore) -> None:
    await sql_store.wait_for_work(0)
    assert await woken_after(sql_store, lambda: queue_one(sql_store)) < PROMPT


async def test_sqlite_in_another_process_falls_back_to_the_timeout(sqlite_url: str) -> None:
    writer, relay = SqlStore(sqlite_url, clock=CLOCK), SqlStore(sqlite_url, clock=CLOCK)
    try:
        await queue_one(writer)
        started = time.perf_counter()
        await relay.wait_for_work(0.2)
        assert 0.19 <= time.perf_counter() - started < 1
    finally:
        await writer.dispose()
        await relay.dispose()


async def test_a_lost_listen_connection_is_replaced(postgres_url: str) -> None:
    writer, relay = SqlStore(postgres_url, clock=CLOCK), SqlStore(postgres_url, clock=CLOCK)
    admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
    try:
        await relay.wait_for_work(5)
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query LIKE 'LISTEN%' AND datname = current_database()"
        )
        await relay.wait_for_work(5)  # woken by the loss (or at once, reconnecting)
        await relay.wait_for_work(5)  # listening again
        assert await woken_after(relay, lambda: queue_one(writer)) < PROMPT
    finally:
        await admin.close()
        await writer.dispose()
        await relay.dispose()
