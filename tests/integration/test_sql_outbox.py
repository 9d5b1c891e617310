"""The SQL outbox under load: per-recipient order with several relays (B-26), SKIP LOCKED,
batched marks, and the claim rate the relay needs (B-29 allows 80/s per number)."""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from datetime import timedelta

from adapters.sql import SqlStore
from core.domain.outbound import plain_text
from ports.outbox import PENDING, SENT
from tests.contract.samples import T0, at, outgoing, within

LEASE = timedelta(seconds=60)


async def append(store: SqlStore, recipients: int, per_recipient: int) -> list[int]:
    """Messages interleaved across recipients, as many conversations at once produce them."""
    messages = [
        outgoing(f"4479{r:08d}", body=f"{r}:{n}")
        for n in range(per_recipient)
        for r in range(recipients)
    ]
    async with store.uow() as uow:
        ids = await uow.outbox.append(messages, T0)
        await uow.commit()
    return ids


async def relay_pass(store: SqlStore, limit: int) -> int:
    """What the relay does: claim a batch, send it, mark the whole batch in one commit."""
    async with store.uow() as uow:
        items = await uow.outbox.claim(at(1), limit, LEASE)
        await uow.commit()
    async with store.uow() as uow:
        for item in items:
            await uow.outbox.mark_sent(item.id, f"wamid.{item.id}", at(1))
        await uow.commit()
    return len(items)


async def test_several_relays_deliver_each_recipient_in_order_B26(sql_store: SqlStore) -> None:
    await append(sql_store, recipients=15, per_recipient=6)
    delivered: dict[str, list[str]] = defaultdict(list)
    random.seed(26)

    async def relay() -> None:
        idle = 0
        while idle < 3:
            async with sql_store.uow() as uow:
                items = await uow.outbox.claim(at(1), 4, LEASE)
                await uow.commit()
            idle = 0 if items else idle + 1
            for item in items:
                await asyncio.sleep(random.random() / 500)  # sending takes a moment
                delivered[item.message.to].append(plain_text(item.message.intent))
                async with sql_store.uow() as uow:
                    await uow.outbox.mark_sent(item.id, f"wamid.{item.id}", at(1))
                    await uow.commit()
            await asyncio.sleep(0.005)

    await within(asyncio.gather(*(relay() for _ in range(4))), 30)
    assert len(delivered) == 15
    for recipient, bodies in delivered.items():
        r = int(recipient[4:])
        assert bodies == [f"{r}:{n}" for n in range(6)]  # each once, in the order decided
    async with sql_store.uow() as uow:
        assert await uow.outbox.pending_count() == 0


async def test_a_relay_never_waits_for_rows_another_relay_is_claiming(
    postgres_store: SqlStore,
) -> None:
    """SKIP LOCKED: an uncommitted claim does not block a second relay, nor share its rows."""
    await append(postgres_store, recipients=4, per_recipient=2)
    first = postgres_store.uow()
    await first.__aenter__()
    try:
        mine = await first.outbox.claim(at(1), 2, LEASE)
        async with postgres_store.uow() as uow:
            theirs = await within(uow.outbox.claim(at(1), 10, LEASE), 0.5)
            await uow.commit()
        assert len(mine) == len(theirs) == 2
        assert {item.message.to for item in mine}.isdisjoint(item.message.to for item in theirs)
    finally:
        await first.__aexit__(None, None, None)  # rolled back: its two rows are free again
    async with postgres_store.uow() as uow:
        again = await uow.outbox.claim(at(1), 10, LEASE)
    assert [item.id for item in again] == [item.id for item in mine]


async def test_marks_are_read_back_in_their_unit_of_work_and_vanish_on_rollback(
    sql_store: SqlStore,
) -> None:
    first, second = await append(sql_store, recipients=2, per_recipient=1)
    async with sql_store.uow() as uow:
        await uow.outbox.claim(at(1), 10, LEASE)
        await uow.outbox.mark_sent(first, "wamid.1", at(1))
        await uow.outbox.mark_retry(second, "HTTP 503", at(5))
        states = {item.id: item.state for item in await uow.outbox.for_lead("lead-1")}
        assert states == {first: SENT, second: PENDING}
        assert await uow.outbox.pending_count() == 1
        await uow.rollback()
    async with sql_store.uow() as uow:
        items = await uow.outbox.for_lead("lead-1")
    assert [(item.state, item.attempts) for item in items] == [(PENDING, 0), (PENDING, 0)]


async def test_the_relay_moves_well_over_a_thousand_messages_a_second(sql_store: SqlStore) -> None:
    """3000 messages to 300 recipients, drained in claim-200 / mark-200 passes."""
    ids = await append(sql_store, recipients=300, per_recipient=10)
    started = time.perf_counter()
    moved = 0
    while moved < len(ids):
        moved += await relay_pass(sql_store, limit=200)
    rate = moved / (time.perf_counter() - started)
    async with sql_store.uow() as uow:
        assert await uow.outbox.pending_count() == 0
    assert rate > 1000, f"{rate:.0f} messages/s"
