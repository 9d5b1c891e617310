"""LeadRepo contract for the inbox list: search by name or number, counts per status."""

from __future__ import annotations

import msgspec

from core.domain.lead import Lead
from tests.contract.backends import Store
from tests.contract.samples import at


async def named(store: Store, contact: str, name: str | None, status: str = "QUALIFYING",
                studio: str = "studio-a", minutes: float = 0) -> Lead:
    async with store.uow() as uow:
        lead = await uow.leads.lock(studio, contact, at(minutes))
        lead = msgspec.structs.replace(lead, name=name, status=status)
        await uow.leads.save(lead)
        await uow.commit()
    return lead


async def test_B24_search_matches_part_of_the_name_in_any_case_or_of_the_number(
    store: Store,
) -> None:
    await named(store, "447911000001", "Zoë Lark", minutes=1)
    await named(store, "447911000002", "Ben", minutes=2)
    await named(store, "12025550123", None, minutes=3)
    await named(store, "447911000003", "zoe", studio="studio-b", minutes=4)

    async with store.uow() as uow:
        by_name = await uow.leads.list(studio="studio-a", search="LARK")
        by_number = await uow.leads.list(studio="studio-a", search="2025550")
        everyone = await uow.leads.list(studio="studio-a", search="")
        nobody = await uow.leads.list(studio="studio-a", search="50%")

    assert [lead.contact for lead in by_name] == ["447911000001"]
    assert [lead.contact for lead in by_number] == ["12025550123"]
    assert [lead.contact for lead in everyone] == ["12025550123", "447911000002", "447911000001"]
    assert nobody == []  # a % is a character to find, not a wildcard


async def test_B24_counts_per_status_for_one_studio(store: Store) -> None:
    await named(store, "447911000001", "A", status="PENDING_APPROVAL")
    await named(store, "447911000002", "B", status="PENDING_APPROVAL")
    await named(store, "447911000003", "C", status="QUALIFYING")
    await named(store, "447911000004", "D", status="QUALIFYING", studio="studio-b")

    async with store.uow() as uow:
        mine = await uow.leads.counts(studio="studio-a")
        everyone = await uow.leads.counts()

    assert mine == {"PENDING_APPROVAL": 2, "QUALIFYING": 1}
    assert everyone == {"PENDING_APPROVAL": 2, "QUALIFYING": 2}
