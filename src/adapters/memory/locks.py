"""Row locks held by a unit of work until it commits or rolls back (B-3, B-6).

One lock per key ("lead" id, "contact" being created, "claim" key, "outbox" row):
the in-memory stand-in for ``SELECT ... FOR UPDATE``, unique-index waits and
``SKIP LOCKED``. Locks are re-entrant for their owner and all released at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable


class RowLocks:
    def __init__(self) -> None:
        self._owners: dict[Hashable, object] = {}
        self._released: dict[Hashable, asyncio.Event] = {}
        self._held: dict[object, list[Hashable]] = {}

    async def acquire(self, key: Hashable, owner: object) -> None:
        """Wait until ``key`` is free (or already ours), then hold it for ``owner``."""
        while not self.try_acquire(key, owner):
            await self._released[key].wait()

    def try_acquire(self, key: Hashable, owner: object) -> bool:
        """Hold ``key`` for ``owner`` if nobody else does; never waits (SKIP LOCKED)."""
        current = self._owners.get(key)
        if current is owner:
            return True
        if current is not None:
            return False
        self._owners[key] = owner
        self._released[key] = asyncio.Event()
        self._held.setdefault(owner, []).append(key)
        return True

    def held_by_other(self, key: Hashable, owner: object) -> bool:
        current = self._owners.get(key)
        return current is not None and current is not owner

    def release_all(self, owner: object) -> None:
        for key in self._held.pop(owner, []):
            del self._owners[key]
            self._released.pop(key).set()
