"""The shared in-memory database: every unit of work of one store sees the same rows."""

from __future__ import annotations

import asyncio

from adapters.memory.tables import Tables
from adapters.memory.uow import MemoryUnitOfWork


class MemoryStore:
    """Leads, answers, thread, transitions, claims, events and the outbox, in memory.

    ``uow()`` is the unit-of-work factory; ``wait_for_work`` lets a relay sleep
    until a commit adds outbox rows (or ``timeout`` seconds pass).
    """

    name = "memory"

    def __init__(self) -> None:
        self.tables = Tables()

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.tables)

    async def wait_for_work(self, timeout: float) -> None:
        work = self.tables.work
        try:
            await asyncio.wait_for(work.wait(), timeout)
        except TimeoutError:
            return
        work.clear()
