"""Users (inbox logins) in the ``users`` table, inside the unit of work's transaction."""

from __future__ import annotations

import builtins

import sqlalchemy as sa

from adapters.sql.tables import users
from adapters.sql.tx import Transaction
from ports.users import InboxUser, UserExists


def _user(row: sa.RowMapping) -> InboxUser:
    return InboxUser(
        email=row["email"],
        studio=row["studio"],
        password_hash=row["password_hash"],
        created_at=row["created_at"],
    )


class SqlUsers:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, user: InboxUser) -> None:
        insert = self._tx.insert_ignoring_conflicts(users, "email").values(
            email=user.email,
            studio=user.studio,
            password_hash=user.password_hash,
            created_at=user.created_at,
        )
        added = await self._tx.execute(insert.returning(users.c.email))
        if added.first() is None:
            raise UserExists(user.email)

    async def get(self, email: str) -> InboxUser | None:
        query = sa.select(users).where(users.c.email == email)
        row = (await self._tx.execute(query)).mappings().first()
        return None if row is None else _user(row)

    async def all(self) -> builtins.list[InboxUser]:
        query = sa.select(users).order_by(users.c.email)
        return [_user(row) for row in (await self._tx.execute(query)).mappings()]

    async def remove(self, email: str) -> bool:
        deleted = await self._tx.execute(
            sa.delete(users).where(users.c.email == email).returning(users.c.email)
        )
        return deleted.first() is not None
