"""Users (inbox logins) on the in-memory store: staged until commit like every write."""

from __future__ import annotations

from adapters.memory.tables import Session
from ports.users import InboxUser, UserExists


class MemoryUsers:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def add(self, user: InboxUser) -> None:
        if await self.get(user.email) is not None:
            raise UserExists(user.email)
        self._s.changes.users[user.email] = user

    async def get(self, email: str) -> InboxUser | None:
        staged = self._s.changes.users
        if email in staged:
            return staged[email]
        return self._s.tables.users.get(email)

    async def all(self) -> list[InboxUser]:
        merged = {**self._s.tables.users, **self._s.changes.users}
        return sorted((u for u in merged.values() if u is not None), key=lambda u: u.email)

    async def remove(self, email: str) -> bool:
        if await self.get(email) is None:
            return False
        self._s.changes.users[email] = None
        return True
