"""SQL storage of leads: snapshot plus query columns, UTC times, tolerant snapshots, B-3/B-6."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import msgspec
import pytest
import sqlalchemy as sa

from adapters.sql import SqlStore
from adapters.sql.tables import leads
from core.domain.lead import Lead
from ports.lead_repo import ThreadEntry
from tests.contract.samples import PLUS_TWO, T0, answer, at, event, full_lead, outgoing, within

CONTACT = "447911000001"


async def row_of(store: SqlStore, lead_id: str) -> dict[str, object]:
    async with store.engine.connect() as connection:
        row = (await connection.execute(sa.select(leads).where(leads.c.id == lead_id))).one()
    return dict(row._mapping)


async def test_the_query_columns_follow_every_save_B46(sql_store: SqlStore) -> None:
    async with sql_store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CONTACT, T0)
        await uow.leads.save(full_lead(lead))
        await uow.commit()
    row = await row_of(sql_store, lead.id)
    assert {key: row[key] for key in ("studio", "contact", "status", "step", "name")} == {
        "studio": "studio-a",
        "contact": CONTACT,
        "status": "AWAITING_DEPOSIT",
        "step": 7,
        "name": "Zoë Müller",
    }
    assert row["handover_reason"] == "client_asked"
    assert row["created_at"] == T0 and row["last_client_message_at"] == at(1)
    assert row["version"] == 1
    assert row["snapshot"]["answers"]["budget"]["value"]["currency"] == "GBP"  # plain JSON


async def test_times_come_back_timezone_aware_in_utc_B39(sql_store: SqlStore) -> None:
    elsewhere = timezone(timedelta(hours=-5))
    moment = at(3).astimezone(elsewhere)
    async with sql_store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CONTACT, T0.astimezone(PLUS_TWO))
        await uow.leads.add_answers(
            lead.id, [msgspec.structs.replace(answer("idea", "x", 0), at=moment)]
        )
        await uow.leads.add_thread(
            [ThreadEntry(lead_id=lead.id, direction="in", text="x", at=moment)]
        )
        await uow.record_event(msgspec.structs.replace(event("transition", lead.id), at=moment))
        await uow.outbox.append([outgoing(CONTACT, lead.id)], moment)
        await uow.commit()
    async with sql_store.uow() as uow:
        times: list[datetime] = [
            (await uow.leads.answers(lead.id))[0].at,
            (await uow.leads.thread(lead.id))[0].at,
            (await uow.events())[0].at,
            (await uow.outbox.for_lead(lead.id))[0].created_at,
        ]
        listed = (await uow.leads.list())[0]
    for value in times:
        assert value == moment and value.utcoffset() == timedelta(0)
    assert listed.times.created == T0


async def test_a_naive_time_is_refused(sql_store: SqlStore) -> None:
    async with sql_store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CONTACT, T0)
        naive = answer("idea", "x", 0)
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            await uow.leads.add_answers(
                lead.id, [msgspec.structs.replace(naive, at=T0.replace(tzinfo=None))]
            )
            await uow.commit()  # answers are sent with the next statement or the commit


async def test_snapshots_from_older_and_newer_code_still_load_B2(sql_store: SqlStore) -> None:
    """New snapshot fields need no migration; an unknown status is kept for the core to see."""
    async with sql_store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CONTACT, T0)
        await uow.commit()
    snapshot = msgspec.to_builtins(msgspec.structs.replace(lead, status="LEGACY_STATUS"))
    del snapshot["references"], snapshot["noted_step"]  # written before these fields existed
    snapshot["field_from_a_newer_release"] = {"any": "thing"}
    async with sql_store.engine.begin() as connection:
        update = sa.update(leads).where(leads.c.id == lead.id).values(snapshot=snapshot)
        await connection.execute(update)
    async with sql_store.uow() as uow:
        loaded = await uow.leads.lock_by_id(lead.id)
    assert loaded.status == "LEGACY_STATUS"
    assert (loaded.references, loaded.noted_step) == ((), -1)


async def test_twenty_first_messages_of_one_new_contact_B3_B6(sql_store: SqlStore) -> None:
    """Twenty deliveries (distinct ids) from a contact nobody has seen: one lead, no lost work."""

    async def first_message(n: int) -> str:
        async with sql_store.uow() as uow:
            assert await uow.claim(f"wamid.first.{n}")
            current = await uow.leads.lock("studio-a", CONTACT, T0)
            await asyncio.sleep(0.001)
            await uow.leads.save(msgspec.structs.replace(current, step=current.step + 1))
            await uow.leads.add_answers(current.id, [answer("idea", f"idea {n}", n)])
            await uow.outbox.append([outgoing(CONTACT, current.id, f"reply {n}")], T0)
            await uow.commit()
            return current.id

    ids = await within(asyncio.gather(*(first_message(n) for n in range(20))), 20)
    assert len(set(ids)) == 1
    async with sql_store.uow() as uow:
        (only,) = await uow.leads.list()
        assert (only.id, only.step) == (ids[0], 20)
        assert len(await uow.leads.answers(only.id)) == 20
        assert len(await uow.outbox.for_lead(only.id)) == 20


async def test_a_held_lead_lets_other_leads_through_B6(postgres_store: SqlStore) -> None:
    """While one unit of work holds lead A, five others finish on leads B..F; A's waits."""
    async with postgres_store.uow() as uow:
        for n in range(6):
            await uow.leads.lock("studio-a", f"44791100000{n}", T0)
        await uow.commit()
    holder = postgres_store.uow()
    held: Lead = await holder.leads.lock("studio-a", "447911000000", T0)

    async def touch(contact: str) -> None:
        async with postgres_store.uow() as uow:
            lead = await uow.leads.lock("studio-a", contact, T0)
            await uow.leads.save(msgspec.structs.replace(lead, step=lead.step + 1))
            await uow.commit()

    blocked = asyncio.create_task(touch("447911000000"))
    try:
        await within(asyncio.gather(*(touch(f"44791100000{n}") for n in range(1, 6))), 1.0)
        assert not blocked.done()
        await holder.leads.save(msgspec.structs.replace(held, step=5))
        await holder.commit()
        await within(blocked)
    finally:
        await holder.rollback()
    async with postgres_store.uow() as uow:
        steps = [lead.step for lead in await uow.leads.list()]
    assert sorted(steps) == [1, 1, 1, 1, 1, 6]


async def test_a_client_message_updates_its_lead_in_place(postgres_store: SqlStore) -> None:
    """Issue 12: what a message changes of its lead (the conversation, the time of its last
    message) is in no index, so PostgreSQL updates the row in place (heap-only, HOT): no
    new entry in any of the table's indexes per message, and room on the page for it."""
    async with postgres_store.uow() as uow:
        await uow.leads.lock("studio-a", CONTACT, T0)
        await uow.commit()
    for minute in (1, 2, 3):
        async with postgres_store.uow() as uow:
            lead = await uow.leads.lock("studio-a", CONTACT, at(minute))
            times = msgspec.structs.replace(lead.times, last_client_message=at(minute))
            await uow.leads.save(msgspec.structs.replace(lead, times=times))
            counted = await uow._tx.execute(sa.text(  # this transaction's own counts
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'leads'"))
            updates, heap_only = counted.one()
            assert updates >= 1 and heap_only == updates
            await uow.commit()
    async with postgres_store.engine.connect() as connection:
        options = (await connection.execute(sa.text(
            "SELECT reloptions FROM pg_class WHERE relname = 'leads'"))).scalar_one()
    assert options == ["fillfactor=70"]
    assert (await row_of(postgres_store, lead.id))["last_client_message_at"] == at(3)
