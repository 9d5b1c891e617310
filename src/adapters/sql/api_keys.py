"""SqlApiKeys: studio API keys by the digest of their secret."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from adapters.sql.tables import api_keys
from adapters.sql.tx import Transaction
from ports.api_keys import ApiKey

FIND = sa.select(api_keys).where(
    api_keys.c.digest == sa.bindparam("digest"), api_keys.c.revoked_at.is_(None)
)


def _key(row: Mapping[str, Any]) -> ApiKey:
    return ApiKey(
        id=row["id"],
        studio=row["studio"],
        name=row["name"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


class SqlApiKeys:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, key: ApiKey, digest: str) -> None:
        values = {"id": key.id, "studio": key.studio, "name": key.name, "digest": digest,
                  "created_at": key.created_at, "revoked_at": key.revoked_at}
        await self._tx.execute(sa.insert(api_keys).values(**values))

    async def find(self, digest: str) -> ApiKey | None:
        row = (await self._tx.execute(FIND, {"digest": digest})).mappings().first()
        return None if row is None else _key(row)

    async def all(self) -> list[ApiKey]:
        query = sa.select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        return [_key(row) for row in (await self._tx.execute(query)).mappings()]

    async def revoke(self, key_id: str, now: datetime) -> ApiKey | None:
        update = (
            sa.update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await self._tx.execute(update)
        row = (
            await self._tx.execute(sa.select(api_keys).where(api_keys.c.id == key_id))
        ).mappings().first()
        return None if row is None else _key(row)
