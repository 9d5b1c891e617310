"""What the admin API and the inbox read: leads and their records, never the write path."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.lead import Lead
from core.domain.status import Transition
from ports.lead_repo import ThreadEntry
from ports.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class LeadRecord:
    """One lead with its conversation and its audit trail (B-1, B-23)."""

    lead: Lead
    thread: list[ThreadEntry]
    transitions: list[Transition]


class ReadLeads:
    """Queries for people who look at leads (artists, operators); each in its own unit of work."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def list(
        self, studio: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Lead]:
        """Newest first; ``studio`` keeps one studio's leads only (B-46)."""
        async with self._uow() as uow:
            return await uow.leads.list(studio=studio, status=status, limit=limit, offset=offset)

    async def record(self, lead_id: str) -> LeadRecord | None:
        async with self._uow() as uow:
            lead = await uow.leads.get(lead_id)
            if lead is None:
                return None
            thread = await uow.leads.thread(lead_id)
            return LeadRecord(lead, thread, await uow.leads.transitions(lead_id))
