"""Users: the inbox logins, one studio each (B-43), and how their passwords are checked."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec


class InboxUser(msgspec.Struct, frozen=True, kw_only=True):
    """An artist's login to the web inbox; sees only ``studio``'s leads."""

    email: str  # stored lower-cased: the login is case-insensitive
    studio: str
    password_hash: str  # an argon2 encoded hash, never the password
    created_at: datetime


class UserExists(Exception):
    pass


class Users(Protocol):
    async def add(self, user: InboxUser) -> None:
        """Raises :class:`UserExists` (at once or on commit) if the email is taken."""
        ...

    async def get(self, email: str) -> InboxUser | None: ...

    async def all(self) -> list[InboxUser]:
        """Every login, by email."""
        ...

    async def remove(self, email: str) -> bool:
        """False if there was no such login."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, encoded: str, password: str) -> bool:
        """Constant in effort whether or not it matches; never raises on a bad hash."""
        ...

    def waste(self, password: str) -> None:
        """Spend a verification's effort (an unknown email costs what a wrong password does)."""
        ...
