"""What the artist's inbox reads, one studio at a time (B-24, B-43): never another's lead.

A lead's record comes from :class:`ReadLeads` (the admin API's reads); the list adds
search, counts per status and the artist-first order."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from core.domain.lead import Lead
from core.domain.status import Status
from core.usecases.reads import LeadRecord, ReadLeads
from ports.lead_repo import ThreadEntry
from ports.unit_of_work import UnitOfWorkFactory

# The leads waiting for the artist: shown first in the list.
NEEDS_ARTIST = frozenset(
    {
        Status.NEEDS_ARTIST_REPLY,
        Status.PENDING_APPROVAL,
        Status.NEEDS_FOLLOW_UP,
        Status.NEEDS_MANUAL_FOLLOW_UP,
    }
)
_NUMBER_PUNCTUATION = str.maketrans("", "", "+-() .")


class LeadList(msgspec.Struct, frozen=True, kw_only=True):
    leads: list[Lead]  # the ones that need the artist first, then newest first
    counts: dict[str, int]  # leads per status across the studio (not only those shown)


def search_terms(text: str | None) -> str | None:
    """A number is searched without its punctuation (``+44 7911-123`` finds ``447911123``)."""
    text = (text or "").strip()
    if not text:
        return None
    digits = text.translate(_NUMBER_PUNCTUATION)
    return digits if digits.isdigit() else text


@dataclass(frozen=True, slots=True)
class InboxReads:
    uow: UnitOfWorkFactory
    records: ReadLeads
    page_size: int = 200

    async def leads(
        self, studio: str, status: str | None = None, search: str | None = None
    ) -> LeadList:
        async with self.uow() as uow:
            found = await uow.leads.list(
                studio=studio, status=status, limit=self.page_size, search=search_terms(search)
            )
            counts = await uow.leads.counts(studio=studio)
        found.sort(key=lambda lead: lead.status not in NEEDS_ARTIST)  # stable: newest first
        return LeadList(leads=found, counts=counts)

    async def leads_for_export(self, studio: str | None, status: str | None = None) -> list[Lead]:
        """Every lead (of ``studio`` if given), newest first, fetched a page at a time."""
        found: list[Lead] = []
        async with self.uow() as uow:
            while True:
                page = await uow.leads.list(
                    studio=studio, status=status, limit=self.page_size, offset=len(found)
                )
                found.extend(page)
                if len(page) < self.page_size:
                    return found

    async def lead(self, studio: str, lead_id: str) -> LeadRecord | None:
        """None for an unknown lead and for another studio's: both are "not found"."""
        record = await self.records.record(lead_id)
        return record if record is not None and record.lead.studio == studio else None

    async def thread(self, studio: str, lead_id: str) -> tuple[Lead, list[ThreadEntry]] | None:
        """The lead and its conversation (what a live page watches); None as for :meth:`lead`."""
        async with self.uow() as uow:
            lead = await uow.leads.get(lead_id)
            if lead is None or lead.studio != studio:
                return None
            return lead, await uow.leads.thread(lead_id)
