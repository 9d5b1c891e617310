"""LeadRepo contract: every implementation stores and finds leads the same way."""

from __future__ import annotations

import msgspec
import pytest

from core.domain.lead import Lead, Times
from core.domain.status import Transition
from ports.lead_repo import LeadNotFound, ThreadEntry
from tests.contract.backends import Store
from tests.contract.samples import PLUS_TWO, T0, answer, at, full_lead, unset_fields


async def create(store: Store, studio: str, contact: str, minutes: float = 0) -> Lead:
    async with store.uow() as uow:
        lead = await uow.leads.lock(studio, contact, at(minutes))
        await uow.commit()
    return lead


async def test_lock_creates_a_new_lead(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    assert isinstance(lead.id, str) and lead.id
    assert (lead.studio, lead.contact, lead.status, lead.step) == (
        "studio-a",
        "447911000001",
        "NEW",
        0,
    )
    assert lead.times.created == T0
    async with store.uow() as uow:
        assert await uow.leads.get(lead.id) == lead


async def test_find_or_create_is_stable_per_studio_and_contact_B46(store: Store) -> None:
    first = await create(store, "studio-a", "447911000001")
    again = await create(store, "studio-a", "447911000001", minutes=10)
    other_contact = await create(store, "studio-a", "447911000002")
    other_studio = await create(store, "studio-b", "447911000001")
    assert again.id == first.id
    assert again.times.created == first.times.created  # found, not re-created
    assert len({first.id, other_contact.id, other_studio.id}) == 3
    assert other_studio.studio == "studio-b"


async def test_lock_by_id_finds_a_lead_and_refuses_an_unknown_id(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    async with store.uow() as uow:
        assert await uow.leads.lock_by_id(lead.id) == lead
        with pytest.raises(LeadNotFound):
            await uow.leads.lock_by_id("no-such-lead")
        assert await uow.leads.get("no-such-lead") is None


async def test_a_lead_created_in_a_rolled_back_unit_of_work_does_not_exist(store: Store) -> None:
    async with store.uow() as uow:
        lost = await uow.leads.lock("studio-a", "447911000001", T0)
        await uow.rollback()
    async with store.uow() as uow:
        assert await uow.leads.get(lost.id) is None
        assert await uow.leads.list() == []


async def test_save_and_get_round_trip_every_field(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    full = full_lead(lead)
    async with store.uow() as uow:
        locked = await uow.leads.lock_by_id(lead.id)
        await uow.leads.save(msgspec.structs.replace(full, version=locked.version))
        mine = await uow.leads.get(lead.id)  # a unit of work reads its own writes
        await uow.commit()
    async with store.uow() as uow:
        stored = await uow.leads.get(lead.id)
        relocked = await uow.leads.lock("studio-a", "447911000001", at(99))
    assert stored is not None
    assert stored == mine == relocked
    assert stored == msgspec.structs.replace(full, version=stored.version)
    for moment in (stored.times.created, stored.times.opted_out, *stored.offered_slots):
        assert moment is not None and moment.utcoffset() is not None
    assert stored.offered_slots[1] == at(60 * 24 + 180).astimezone(PLUS_TWO)


def test_the_round_trip_sample_sets_every_field() -> None:
    """When Lead or Times grows a field, ``samples.full_lead`` must set it too."""
    lead = full_lead(Lead(id="x", studio="s", contact="c", times=Times(created=T0)))
    assert unset_fields(lead) == []


async def test_every_save_bumps_the_version(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    versions = [lead.version]
    for step in (1, 2):
        async with store.uow() as uow:
            current = await uow.leads.lock_by_id(lead.id)
            await uow.leads.save(msgspec.structs.replace(current, step=step))
            await uow.commit()
        async with store.uow() as uow:
            saved = await uow.leads.get(lead.id)
            assert saved is not None and saved.step == step
            versions.append(saved.version)
    assert versions[0] < versions[1] < versions[2]


async def test_answer_history_keeps_every_answer_oldest_first(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    other = await create(store, "studio-a", "447911000002")
    first = [answer("idea", "a rose", 1), answer("size", "palm sized", 2)]
    later = [answer("idea", "a rose, and a thorn", 3), answer("size", "10 x 12 cm", 4, "wamid.x")]
    async with store.uow() as uow:
        await uow.leads.add_answers(lead.id, first)
        await uow.leads.add_answers(other.id, [answer("idea", "a ship", 1)])
        await uow.commit()
    async with store.uow() as uow:
        await uow.leads.add_answers(lead.id, later)
        assert await uow.leads.answers(lead.id) == first + later
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.leads.answers(lead.id) == first + later
        assert [a.text for a in await uow.leads.answers(other.id)] == ["a ship"]
        assert await uow.leads.answers("no-such-lead") == []


async def test_thread_is_oldest_first_and_limit_keeps_the_latest(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    entries = [
        ThreadEntry(
            lead_id=lead.id,
            direction="in" if n % 2 == 0 else "out",
            text=f"message {n}",
            at=at(n),
            message_id=f"wamid.{n}" if n % 2 == 0 else str(n),
            kind="text" if n != 2 else "image",
        )
        for n in range(5)
    ]
    async with store.uow() as uow:
        await uow.leads.add_thread(entries[:3])
        await uow.commit()
    async with store.uow() as uow:
        await uow.leads.add_thread(entries[3:])
        await uow.leads.add_thread([msgspec.structs.replace(entries[0], lead_id="someone-else")])
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.leads.thread(lead.id) == entries
        assert await uow.leads.thread(lead.id, limit=2) == entries[3:]
        assert await uow.leads.thread(lead.id, limit=50) == entries
        assert await uow.leads.thread(lead.id, limit=0) == []
        assert await uow.leads.thread("no-such-lead") == []


async def test_thread_keeps_the_order_messages_were_recorded_in(store: Store) -> None:
    """A late message (B-4) is shown where it was processed, not re-sorted by its time."""
    lead = await create(store, "studio-a", "447911000001")
    late = ThreadEntry(lead_id=lead.id, direction="in", text="late", at=at(1), message_id="w.1")
    reply = ThreadEntry(lead_id=lead.id, direction="out", text="reply", at=at(5))
    async with store.uow() as uow:
        await uow.leads.add_thread([reply, late])
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.leads.thread(lead.id) == [reply, late]


async def test_transitions_are_an_ordered_audit_trail_B1(store: Store) -> None:
    lead = await create(store, "studio-a", "447911000001")
    trail = [
        Transition(
            source="NEW", target="QUALIFYING", reason="first_message", actor="client", at=at(1)
        ),
        Transition(
            source="QUALIFYING",
            target="NEEDS_ARTIST_REPLY",
            reason="client_asked",
            actor="client",
            at=at(2),
        ),
        Transition(
            source="NEEDS_ARTIST_REPLY",
            target="QUALIFYING",
            reason="resume",
            actor="artist",
            at=at(3),
        ),
    ]
    async with store.uow() as uow:
        await uow.leads.add_transitions(lead.id, trail[:2])
        await uow.commit()
    async with store.uow() as uow:
        await uow.leads.add_transitions(lead.id, trail[2:])
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.leads.transitions(lead.id) == trail
        assert await uow.leads.transitions("no-such-lead") == []


async def test_list_is_newest_first_and_filters_by_studio_and_status_B46(store: Store) -> None:
    created = {}
    for minutes, (studio, contact) in enumerate(
        [("studio-a", "1"), ("studio-b", "2"), ("studio-a", "3"), ("studio-a", "4")]
    ):
        created[contact] = await create(store, studio, contact, minutes=minutes)
    async with store.uow() as uow:
        lead = await uow.leads.lock_by_id(created["3"].id)
        await uow.leads.save(msgspec.structs.replace(lead, status="QUALIFYING"))
        await uow.commit()
    async with store.uow() as uow:
        every = [lead.contact for lead in await uow.leads.list()]
        studio_a = [lead.contact for lead in await uow.leads.list(studio="studio-a")]
        qualifying = await uow.leads.list(status="QUALIFYING")
        studio_b_new = await uow.leads.list(studio="studio-b", status="NEW")
        page = [lead.contact for lead in await uow.leads.list(studio="studio-a", limit=2, offset=1)]
        nothing = await uow.leads.list(studio="studio-c")
    assert every == ["4", "3", "2", "1"]
    assert studio_a == ["4", "3", "1"]
    assert [lead.contact for lead in qualifying] == ["3"]
    assert [lead.contact for lead in studio_b_new] == ["2"]
    assert page == ["3", "1"]
    assert nothing == []
