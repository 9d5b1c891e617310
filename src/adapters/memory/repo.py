"""LeadRepo on the in-memory store: reads see committed rows plus this unit of work's own."""

from __future__ import annotations

import builtins
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import msgspec

from adapters.memory.tables import Session
from core.domain.lead import Answer, Lead, new_lead
from core.domain.status import Transition
from ports.lead_repo import LeadNotFound, ThreadEntry


def new_lead_id() -> str:
    return uuid.uuid4().hex[:12]


class MemoryLeadRepo:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def lock(self, studio: str, contact: str, now: datetime) -> Lead:
        tables, key = self._s.tables, (studio, contact)
        while True:
            mine = self._own_lead_for(key)
            if mine is not None:
                return mine
            lead_id = tables.lead_ids.get(key)
            if lead_id is not None:
                await tables.locks.acquire(("lead", lead_id), self._s)
                lead = self._view(lead_id)
                if lead is not None and (lead.studio, lead.contact) == key:
                    return lead
                continue  # the lead changed its contact while we waited: look again
            # Nobody has it yet: take the (studio, contact) "unique index" and create it.
            await tables.locks.acquire(("contact", studio, contact), self._s)
            if key in tables.lead_ids:
                continue  # created and committed by someone else while we waited
            lead = new_lead(new_lead_id(), studio, contact, now)
            await tables.locks.acquire(("lead", lead.id), self._s)
            self._s.changes.leads[lead.id] = lead
            return lead

    async def lock_many(
        self, contacts: Sequence[tuple[str, str]], now: datetime
    ) -> dict[tuple[str, str], Lead]:
        return {key: await self.lock(*key, now) for key in sorted(set(contacts))}

    async def lock_by_id(self, lead_id: str) -> Lead:
        if self._view(lead_id) is None:
            raise LeadNotFound(lead_id)
        await self._s.tables.locks.acquire(("lead", lead_id), self._s)
        lead = self._view(lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        return lead

    async def get(self, lead_id: str) -> Lead | None:
        return self._view(lead_id)

    async def save(self, lead: Lead) -> None:
        await self._s.tables.locks.acquire(("lead", lead.id), self._s)  # UPDATE locks the row
        stored = self._view(lead.id)
        version = stored.version + 1 if stored is not None else lead.version + 1
        self._s.changes.leads[lead.id] = msgspec.structs.replace(lead, version=version)

    async def add_answers(self, lead_id: str, answers: Sequence[Answer]) -> None:
        self._s.changes.answers.setdefault(lead_id, []).extend(answers)

    async def answers(self, lead_id: str) -> list[Answer]:
        committed = self._s.tables.answers.get(lead_id, [])
        return [*committed, *self._s.changes.answers.get(lead_id, [])]

    async def add_thread(self, entries: Sequence[ThreadEntry]) -> None:
        for entry in entries:
            self._s.changes.thread.setdefault(entry.lead_id, []).append(entry)

    async def thread(self, lead_id: str, limit: int | None = None) -> list[ThreadEntry]:
        rows = [
            *self._s.tables.thread.get(lead_id, []),
            *self._s.changes.thread.get(lead_id, []),
        ]
        if limit is None:
            return rows
        return rows[-limit:] if limit > 0 else []

    async def add_transitions(self, lead_id: str, transitions: Sequence[Transition]) -> None:
        self._s.changes.transitions.setdefault(lead_id, []).extend(transitions)

    async def transitions(self, lead_id: str) -> builtins.list[Transition]:
        committed = self._s.tables.transitions.get(lead_id, [])
        return [*committed, *self._s.changes.transitions.get(lead_id, [])]

    async def list(
        self,
        studio: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
        search: str | None = None,
    ) -> builtins.list[Lead]:
        tables, staged = self._s.tables, self._s.changes.leads
        leads = {**tables.leads, **staged}
        order = {
            lead_id: tables.lead_order.get(lead_id, len(tables.lead_order)) for lead_id in leads
        }
        found = [
            lead
            for lead in leads.values()
            if (studio is None or lead.studio == studio)
            and (status is None or lead.status == status)
            and (not search or _matches(lead, search))
        ]
        found.sort(key=lambda lead: (lead.times.created, order[lead.id]), reverse=True)
        return found[offset : offset + limit]

    async def counts(self, studio: str | None = None) -> dict[str, int]:
        leads = {**self._s.tables.leads, **self._s.changes.leads}.values()
        return dict(Counter(lead.status for lead in leads if studio in (None, lead.studio)))

    def _view(self, lead_id: str) -> Lead | None:
        staged = self._s.changes.leads.get(lead_id)
        return staged if staged is not None else self._s.tables.leads.get(lead_id)

    def _own_lead_for(self, key: tuple[str, str]) -> Lead | None:
        """A lead this unit of work already created or wrote for ``key`` (read your writes)."""
        for lead in self._s.changes.leads.values():
            if (lead.studio, lead.contact) == key:
                return lead
        return None


def _matches(lead: Lead, search: str) -> bool:
    """Part of the name in any case, or part of the number (as the SQL adapter matches)."""
    wanted = search.lower()
    return wanted in (lead.name or "").lower() or wanted in lead.contact
