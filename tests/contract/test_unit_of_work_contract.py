"""UnitOfWork contract: claims (B-3), lead locks (B-6), events and all-or-nothing commits."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from core.domain.lead import Lead
from core.domain.status import Transition
from ports.lead_repo import ThreadEntry
from tests.contract.backends import Store
from tests.contract.samples import (
    T0,
    answer,
    at,
    event,
    needs_parallel_writers,
    outgoing,
    within,
)


async def create(store: Store, contact: str, studio: str = "studio-a") -> Lead:
    async with store.uow() as uow:
        lead = await uow.leads.lock(studio, contact, T0)
        await uow.commit()
    return lead


# -- claims (B-3) -------------------------------------------------------------------


async def test_a_key_is_claimed_once_within_a_unit_of_work(store: Store) -> None:
    async with store.uow() as uow:
        assert await uow.claim("wamid.1") is True
        assert await uow.claim("wamid.1") is False
        assert await uow.claim("wamid.2") is True
        await uow.commit()


async def test_a_committed_claim_is_refused_to_every_later_unit_of_work(store: Store) -> None:
    async with store.uow() as uow:
        assert await uow.claim("wamid.1")
        await uow.commit()
    for _ in range(2):
        async with store.uow() as uow:
            assert await uow.claim("wamid.1") is False
            await uow.commit()


async def test_a_claim_vanishes_with_a_rollback(store: Store) -> None:
    async with store.uow() as uow:
        assert await uow.claim("wamid.1")
        await uow.rollback()
    async with store.uow() as uow:
        assert await uow.claim("wamid.1")  # leaving without commit discards it too
    async with store.uow() as uow:
        assert await uow.claim("wamid.1")
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.claim("wamid.1") is False


async def test_twenty_simultaneous_deliveries_are_processed_once_B3(store: Store) -> None:
    lead = await create(store, "447911000001")

    async def deliver(n: int) -> bool:
        async with store.uow() as uow:
            if not await uow.claim("wamid.same"):
                await uow.commit()
                return False
            await asyncio.sleep(0.001)  # give the other deliveries a chance to interleave
            current = await uow.leads.lock("studio-a", "447911000001", at(1))
            await uow.leads.save(msgspec.structs.replace(current, step=current.step + 1))
            await uow.leads.add_answers(lead.id, [answer("idea", f"rose {n}", 1)])
            await uow.outbox.append([outgoing("447911000001", lead.id, "next question")], at(1))
            await uow.commit()
            return True

    results = await within(asyncio.gather(*(deliver(n) for n in range(20))))
    assert results.count(True) == 1
    async with store.uow() as uow:
        stored = await uow.leads.get(lead.id)
        assert stored is not None and stored.step == 1
        assert len(await uow.leads.answers(lead.id)) == 1
        assert len(await uow.outbox.for_lead(lead.id)) == 1


async def test_a_waiting_claimer_wins_when_the_first_rolls_back(store: Store) -> None:
    needs_parallel_writers(store)
    first = store.uow()
    await first.__aenter__()
    assert await first.claim("wamid.1")

    async def second() -> bool:
        async with store.uow() as uow:
            won = await uow.claim("wamid.1")
            await uow.commit()
            return won

    waiting = asyncio.create_task(second())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # a unique index makes the second insert wait
    await first.rollback()
    await first.__aexit__(None, None, None)
    assert await within(waiting) is True


async def test_a_waiting_claimer_loses_when_the_first_commits(store: Store) -> None:
    needs_parallel_writers(store)
    first = store.uow()
    await first.__aenter__()
    assert await first.claim("wamid.1")

    async def second() -> bool:
        async with store.uow() as uow:
            return await uow.claim("wamid.1")

    waiting = asyncio.create_task(second())
    await asyncio.sleep(0.05)
    await first.commit()
    await first.__aexit__(None, None, None)
    assert await within(waiting) is False


# -- lead locks (B-6) ---------------------------------------------------------------


async def test_concurrent_read_modify_write_of_one_lead_loses_no_update_B6(store: Store) -> None:
    lead = await create(store, "447911000001")

    async def increment(by_id: bool) -> None:
        async with store.uow() as uow:
            if by_id:
                current = await uow.leads.lock_by_id(lead.id)
            else:
                current = await uow.leads.lock("studio-a", "447911000001", at(1))
            await asyncio.sleep(0.001)  # let the others run while we hold the lead
            await uow.leads.save(msgspec.structs.replace(current, step=current.step + 1))
            await uow.commit()

    await within(asyncio.gather(*(increment(n % 2 == 0) for n in range(10))))
    async with store.uow() as uow:
        stored = await uow.leads.get(lead.id)
    assert stored is not None and stored.step == 10


async def test_concurrent_first_messages_create_one_lead(store: Store) -> None:
    async def first_message() -> str:
        async with store.uow() as uow:
            lead = await uow.leads.lock("studio-a", "447911000001", T0)
            await asyncio.sleep(0.001)
            await uow.leads.save(msgspec.structs.replace(lead, step=lead.step + 1))
            await uow.commit()
            return lead.id

    ids = await within(asyncio.gather(*(first_message() for _ in range(10))))
    assert len(set(ids)) == 1
    async with store.uow() as uow:
        leads = await uow.leads.list()
    assert [(lead.id, lead.step) for lead in leads] == [(ids[0], 10)]


async def test_a_locked_lead_waits_for_the_holder_to_commit_B6(store: Store) -> None:
    needs_parallel_writers(store)
    lead = await create(store, "447911000001")
    holder = store.uow()
    await holder.__aenter__()
    held = await holder.leads.lock_by_id(lead.id)

    async def second() -> Lead:
        async with store.uow() as uow:
            return await uow.leads.lock("studio-a", "447911000001", at(5))

    waiting = asyncio.create_task(second())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await holder.leads.save(msgspec.structs.replace(held, step=3))
    await holder.commit()
    await holder.__aexit__(None, None, None)
    seen = await within(waiting)
    assert seen.step == 3  # the latest committed snapshot, read after the lock


async def test_different_leads_do_not_wait_for_each_other_B6(store: Store) -> None:
    needs_parallel_writers(store)
    await create(store, "447911000001")
    await create(store, "447911000002")
    holder = store.uow()
    await holder.__aenter__()
    await holder.leads.lock("studio-a", "447911000001", T0)
    try:
        async with store.uow() as uow:
            other = await within(uow.leads.lock("studio-a", "447911000002", T0), 1.0)
            new = await within(uow.leads.lock("studio-a", "447911000003", T0), 1.0)
            same_contact_elsewhere = await within(
                uow.leads.lock("studio-b", "447911000001", T0), 1.0
            )
            await uow.commit()
    finally:
        await holder.__aexit__(None, None, None)
    assert other.contact == "447911000002" and new.contact == "447911000003"
    assert same_contact_elsewhere.studio == "studio-b"


async def test_uncommitted_writes_are_invisible_to_other_units_of_work(store: Store) -> None:
    needs_parallel_writers(store)
    lead = await create(store, "447911000001")
    writer = store.uow()
    await writer.__aenter__()
    current = await writer.leads.lock_by_id(lead.id)
    await writer.leads.save(msgspec.structs.replace(current, step=5))
    await writer.leads.add_answers(lead.id, [answer("idea", "a rose", 1)])
    await writer.record_event(event("transition", lead.id))
    try:
        async with store.uow() as reader:
            stored = await within(reader.leads.get(lead.id))
            assert stored is not None and stored.step == 0
            assert await reader.leads.answers(lead.id) == []
            assert await reader.events() == []
    finally:
        await writer.__aexit__(None, None, None)


# -- events and all-or-nothing ------------------------------------------------------


async def test_events_are_recorded_in_order_and_filtered(store: Store) -> None:
    lead = await create(store, "447911000001")
    recorded = [
        event("transition", lead.id, 1),
        event("dead_letter", lead.id, 2),
        event("signature_failed", None, 3),
        event("transition", "other-lead", 4),
    ]
    async with store.uow() as uow:
        for item in recorded[:2]:
            await uow.record_event(item)
        await uow.commit()
    async with store.uow() as uow:
        for item in recorded[2:]:
            await uow.record_event(item)
        assert await uow.events() == recorded  # its own uncommitted events included
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.events() == recorded
        assert await uow.events(lead_id=lead.id) == recorded[:2]
        assert await uow.events(kind="transition") == [recorded[0], recorded[3]]
        assert await uow.events(lead_id=lead.id, kind="dead_letter") == [recorded[1]]
        assert await uow.events(kind="nothing") == []


@pytest.mark.parametrize("how", ["rollback", "no_commit", "exception"])
async def test_a_unit_of_work_that_does_not_commit_leaves_no_trace(store: Store, how: str) -> None:
    lead = await create(store, "447911000001")

    async def write_everything() -> None:
        async with store.uow() as uow:
            await uow.claim("wamid.1")
            current = await uow.leads.lock_by_id(lead.id)
            await uow.leads.save(msgspec.structs.replace(current, step=4, status="QUALIFYING"))
            await uow.leads.lock("studio-a", "447911000099", T0)
            await uow.leads.add_answers(lead.id, [answer("idea", "a rose", 1)])
            await uow.leads.add_thread(
                [ThreadEntry(lead_id=lead.id, direction="in", text="a rose", at=at(1))]
            )
            transition = Transition(
                source="NEW", target="QUALIFYING", reason="first", actor="client", at=at(1)
            )
            await uow.leads.add_transitions(lead.id, [transition])
            await uow.outbox.append([outgoing("447911000001", lead.id)], at(1))
            await uow.record_event(event("transition", lead.id))
            if how == "rollback":
                await uow.rollback()
            elif how == "exception":
                raise RuntimeError("crash before commit")

    if how == "exception":
        with pytest.raises(RuntimeError):
            await write_everything()
    else:
        await write_everything()

    async with store.uow() as uow:
        assert await uow.leads.get(lead.id) == lead
        assert [stored.id for stored in await uow.leads.list()] == [lead.id]
        assert await uow.leads.answers(lead.id) == []
        assert await uow.leads.thread(lead.id) == []
        assert await uow.leads.transitions(lead.id) == []
        assert await uow.outbox.for_lead(lead.id) == []
        assert await uow.outbox.pending_count() == 0
        assert await uow.events() == []
        assert await uow.claim("wamid.1") is True


# -- group commit: many claims and locks at once (issue 12) ----------------------------------


async def test_B3_claim_many_claims_only_the_new_keys(store: Store) -> None:
    async with store.uow() as uow:
        assert await uow.claim("wamid.old")
        await uow.commit()
    async with store.uow() as uow:
        claimed = await uow.claim_many(["wamid.b", "wamid.old", "wamid.a", "wamid.b"])
        assert claimed == {"wamid.a", "wamid.b"}
        assert await uow.claim_many([]) == set()
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.claim_many(["wamid.a", "wamid.c"]) == {"wamid.c"}


async def test_B3_a_released_claim_is_not_committed(store: Store) -> None:
    async with store.uow() as uow:
        assert await uow.claim_many(["wamid.kept", "wamid.given"]) == {"wamid.kept", "wamid.given"}
        await uow.release(["wamid.given"])
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.claim("wamid.kept") is False
        assert await uow.claim("wamid.given") is True


async def test_B6_lock_many_finds_or_creates_each_lead_once(store: Store) -> None:
    existing = await create(store, "447000000001")
    async with store.uow() as uow:
        keys = [("studio-a", "447000000003"), ("studio-a", "447000000001"),
                ("studio-b", "447000000001"), ("studio-a", "447000000003")]
        locked = await uow.leads.lock_many(keys, T0)
        assert sorted(locked) == sorted(set(keys))
        assert locked[("studio-a", "447000000001")].id == existing.id
        for (studio, contact), lead in locked.items():
            assert (lead.studio, lead.contact) == (studio, contact)
            await uow.leads.save(lead)
        await uow.commit()
    async with store.uow() as uow:
        again = await uow.leads.lock_many(keys, T0)
        ids = {key: lead.id for key, lead in locked.items()}
        assert {key: lead.id for key, lead in again.items()} == ids
        assert len({lead.id for lead in again.values()}) == 3


async def test_B6_lock_many_holds_every_lead_until_commit(store: Store) -> None:
    needs_parallel_writers(store)
    await create(store, "447000000001")
    order: list[str] = []
    async with store.uow() as first:
        await first.leads.lock_many([("studio-a", "447000000001"), ("studio-a", "447000000002")],
                                    T0)

        async def second() -> None:
            async with store.uow() as uow:
                await uow.leads.lock("studio-a", "447000000002", T0)
                order.append("second")
                await uow.commit()

        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.2)
        order.append("first")
        await first.commit()
        await waiting
    assert order == ["first", "second"]
