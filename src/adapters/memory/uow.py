"""A real unit of work in memory: writes are staged and applied only on commit."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from adapters.memory.api_keys import MemoryApiKeys
from adapters.memory.outbox import MemoryOutbox
from adapters.memory.privacy import MemoryPrivacy, MemorySweeps
from adapters.memory.repo import MemoryLeadRepo
from adapters.memory.tables import Changes, Session, Tables
from adapters.memory.users import MemoryUsers
from core.domain.events import Event
from ports.api_keys import ApiKeys
from ports.lead_repo import LeadRepo
from ports.outbox import Outbox
from ports.privacy import Privacy
from ports.sweeps import Sweeps
from ports.users import Users


class MemoryUnitOfWork:
    """``UnitOfWork`` port. Like a database session, it can commit more than once:
    each commit or rollback ends one transaction and releases its locks."""

    def __init__(self, tables: Tables) -> None:
        self._s = Session(tables)
        # Typed as the ports: a Protocol's plain attributes are invariant.
        self.leads: LeadRepo = MemoryLeadRepo(self._s)
        self.outbox: Outbox = MemoryOutbox(self._s)
        self.sweeps: Sweeps = MemorySweeps(self._s)  # issue 10
        self.privacy: Privacy = MemoryPrivacy(self._s)
        self.api_keys: ApiKeys = MemoryApiKeys(self._s)
        self.users: Users = MemoryUsers(self._s)  # inbox logins

    async def claim(self, key: str) -> bool:
        tables = self._s.tables
        if key in tables.claims or key in self._s.changes.claims:
            return False
        # A second claimer of an in-flight key waits for the first to finish, as a
        # unique index makes a concurrent INSERT wait (B-3).
        await tables.locks.acquire(("claim", key), self._s)
        if key in tables.claims:
            return False
        self._s.changes.claims.add(key)
        return True

    async def claim_many(self, keys: Sequence[str]) -> set[str]:
        return {key for key in sorted(set(keys)) if await self.claim(key)}

    async def release(self, keys: Sequence[str]) -> None:
        # The key's lock is held until this transaction ends, as the deleted but
        # uncommitted row of a unique index holds other inserters.
        self._s.changes.claims.difference_update(keys)

    async def record_event(self, event: Event) -> None:
        self._s.changes.events.append(event)

    async def events(self, lead_id: str | None = None, kind: str | None = None) -> list[Event]:
        return [
            event
            for event in [*self._s.tables.events, *self._s.changes.events]
            if (lead_id is None or event.lead_id == lead_id)
            and (kind is None or event.kind == kind)
        ]

    async def commit(self) -> None:
        self._s.tables.apply(self._s.changes)
        self._end()

    async def rollback(self) -> None:
        self._end()

    def _end(self) -> None:
        self._s.changes = Changes()
        self._s.tables.locks.release_all(self._s)

    async def __aenter__(self) -> MemoryUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()
