"""Sweeps and Privacy on the in-memory store (issue 10, B-38, B-40)."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import msgspec

from adapters.memory.tables import OutboxRow, Session, Tables
from core.domain.erasure import forgotten
from core.domain.lead import Lead
from ports.outbox import HELD, PENDING
from ports.privacy import ERASED
from ports.sweeps import CREATED, QUIET, DueQuery

replace = msgspec.structs.replace
UNDELIVERED = (PENDING, HELD)


class MemorySweeps:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def due(self, query: DueQuery, limit: int) -> builtins.list[str]:
        leads = {**self._s.tables.leads, **self._s.changes.leads}.values()
        found = [
            lead
            for lead in leads
            if lead.studio == query.studio
            and lead.status in query.statuses
            and lead.times.erased is None
            and _before(lead, query)
        ]
        found.sort(key=lambda lead: (lead.times.created, lead.id))
        return [lead.id for lead in found[:limit]]

    async def try_lock(self, lead_id: str) -> Lead | None:
        if not self._s.tables.locks.try_acquire(("lead", lead_id), self._s):
            return None
        return self._s.changes.leads.get(lead_id) or self._s.tables.leads.get(lead_id)


def _before(lead: Lead, query: DueQuery) -> bool:
    """The memory store keeps no save times: ``UPDATED`` matches every lead (a superset)."""
    at = {QUIET: lead.times.last_client_message, CREATED: lead.times.created}.get(query.since or "")
    if query.since not in (QUIET, CREATED) or query.before is None:
        return True
    return at is not None and at <= query.before


class MemoryPrivacy:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def erase(self, lead_id: str, message_ids: Collection[str] = ()) -> None:
        suffixes = tuple(f":{m}" for m in message_ids)

        def scrub(tables: Tables) -> None:
            tables.claims = {k for k in tables.claims if not (suffixes and k.endswith(suffixes))}
            tables.answers.pop(lead_id, None)
            tables.thread.pop(lead_id, None)
            tables.events[:] = [
                replace(e, detail={}) if e.lead_id == lead_id else e for e in tables.events
            ]
            for item_id, row in builtins.list(tables.outbox.items()):
                if row.item.message.lead_id != lead_id:
                    continue
                if row.item.state in UNDELIVERED:
                    del tables.outbox[item_id]
                else:
                    tables.outbox[item_id] = _forget(row)

        self._s.changes.scrubs.append(scrub)

    async def forget_delivered(self) -> int:
        tables = self._s.tables
        erased = {lead.id for lead in tables.leads.values() if lead.times.erased is not None}
        rows = [
            row
            for row in tables.outbox.values()
            if row.item.message.lead_id in erased
            and row.item.state not in UNDELIVERED
            and row.item.message.to != ERASED
        ]
        for row in rows:
            self._s.changes.outbox[row.item.id] = _forget(row)
        return len(rows)

    async def bookings(self, lead_id: str) -> builtins.list[dict[str, Any]]:
        return []  # the memory store keeps no bookings: its calendar lives apart

    async def remember_optout(self, key: str, studio: str, at: datetime) -> None:
        self._s.changes.optouts.add(key)

    async def opted_out_among(self, keys: Sequence[str]) -> set[str]:
        return {k for k in keys if k in self._s.tables.optouts or k in self._s.changes.optouts}


def _forget(row: OutboxRow) -> OutboxRow:
    item = row.item
    return replace(row, item=replace(item, message=forgotten(item.message, ERASED)))
