"""ApiKeys: studio API keys (B-43, B-46), stored as digests; the key itself is shown once."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # short and public: what `inkbook keys list` shows and `revoke` takes
    studio: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


class ApiKeys(Protocol):
    async def add(self, key: ApiKey, digest: str) -> None:
        """Store a new key by the digest of its secret (never the secret itself)."""
        ...

    async def find(self, digest: str) -> ApiKey | None:
        """The active key with this digest, if any."""
        ...

    async def all(self) -> list[ApiKey]:
        """Every key, revoked ones included, oldest first."""
        ...

    async def revoke(self, key_id: str, now: datetime) -> ApiKey | None:
        """Revoke the key ``key_id``; None when there is no such key."""
        ...
