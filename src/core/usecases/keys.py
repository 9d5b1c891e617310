"""Studio API keys (B-43, B-46): issued once, stored as a digest, scoped to one studio.

The operator's ``INKBOOK_ADMIN_API_KEY`` sees every studio; a studio key sees and acts
on its own studio's leads only (another studio's lead answers 404, as if it did not exist).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from core.domain.studios import Studios, UnknownStudio
from ports.api_keys import ApiKey
from ports.clock import Clock
from ports.unit_of_work import UnitOfWorkFactory

PREFIX = "ink_"


def digest(secret: str) -> str:
    """Keys are 32 random bytes: a plain SHA-256 is the right hash (no password to stretch)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True, slots=True)
class Issued:
    key: ApiKey
    secret: str  # shown once, never stored


class StudioKeys:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, studios: Studios) -> None:
        self._uow = uow
        self._clock = clock
        self._studios = studios

    async def issue(self, studio: str, name: str = "") -> Issued:
        self._studios.get(studio)  # UnknownStudio for a studio this deployment does not serve
        secret = PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            id=secrets.token_hex(4), studio=studio, name=name, created_at=self._clock.now()
        )
        async with self._uow() as uow:
            await uow.api_keys.add(key, digest(secret))
            await uow.commit()
        return Issued(key, secret)

    async def all(self) -> list[ApiKey]:
        async with self._uow() as uow:
            return await uow.api_keys.all()

    async def revoke(self, key_id: str) -> ApiKey | None:
        async with self._uow() as uow:
            key = await uow.api_keys.revoke(key_id, self._clock.now())
            await uow.commit()
        return key

    async def studio_of(self, secret: str) -> str | None:
        """The studio an active key belongs to; None for anything else."""
        if not secret.startswith(PREFIX):
            return None
        async with self._uow() as uow:
            key = await uow.api_keys.find(digest(secret))
        if key is None:
            return None
        try:
            self._studios.get(key.studio)
        except UnknownStudio:  # a studio removed from the deployment: its keys stop working
            return None
        return key.studio
