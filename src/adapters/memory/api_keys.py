"""ApiKeys in memory: staged in the unit of work, applied on commit."""

from __future__ import annotations

from datetime import datetime

import msgspec

from adapters.memory.tables import Session
from ports.api_keys import ApiKey


class MemoryApiKeys:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _rows(self) -> dict[str, tuple[ApiKey, str]]:
        return {**self._s.tables.api_keys, **self._s.changes.api_keys}

    async def add(self, key: ApiKey, digest: str) -> None:
        if any(d == digest for _, d in self._rows().values()) or key.id in self._rows():
            raise ValueError("duplicate api key")
        self._s.changes.api_keys[key.id] = (key, digest)

    async def find(self, digest: str) -> ApiKey | None:
        for key, stored in self._rows().values():
            if stored == digest and key.revoked_at is None:
                return key
        return None

    async def all(self) -> list[ApiKey]:
        return sorted((k for k, _ in self._rows().values()), key=lambda k: (k.created_at, k.id))

    async def revoke(self, key_id: str, now: datetime) -> ApiKey | None:
        found = self._rows().get(key_id)
        if found is None:
            return None
        key, digest = found
        if key.revoked_at is None:
            key = msgspec.structs.replace(key, revoked_at=now)
            self._s.changes.api_keys[key_id] = (key, digest)
        return key
