"""The inbox logins: add, list, remove (``inkbook users``) and sign in (B-43)."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.studios import Studios
from ports.clock import Clock
from ports.unit_of_work import UnitOfWorkFactory
from ports.users import InboxUser, PasswordHasher, UserExists


class LoginRefused(ValueError):
    """A login that cannot be added; the message says why."""


def normal_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class InboxLogins:
    uow: UnitOfWorkFactory
    passwords: PasswordHasher
    clock: Clock
    studios: Studios
    min_password_length: int = 8

    async def add(self, email: str, studio: str, password: str) -> InboxUser:
        email = normal_email(email)
        if "@" not in email or any(c.isspace() for c in email):
            raise LoginRefused(f"{email!r} is not an email address")
        if studio not in {s.id for s in self.studios}:
            known = ", ".join(sorted(s.id for s in self.studios))
            raise LoginRefused(f"no studio {studio!r} (this deployment has: {known})")
        if len(password) < self.min_password_length:
            raise LoginRefused(f"the password needs at least {self.min_password_length} characters")
        user = InboxUser(
            email=email,
            studio=studio,
            password_hash=self.passwords.hash(password),
            created_at=self.clock.now(),
        )
        async with self.uow() as uow:
            try:
                await uow.users.add(user)
                await uow.commit()
            except UserExists:
                raise LoginRefused(f"{email} already has a login") from None
        return user

    async def all(self) -> list[InboxUser]:
        async with self.uow() as uow:
            return await uow.users.all()

    async def remove(self, email: str) -> bool:
        async with self.uow() as uow:
            removed = await uow.users.remove(normal_email(email))
            await uow.commit()
        return removed

    async def get(self, email: str) -> InboxUser | None:
        async with self.uow() as uow:
            return await uow.users.get(normal_email(email))

    async def sign_in(self, email: str, password: str) -> InboxUser | None:
        """The user for a right email and password; None otherwise, in the same time."""
        user = await self.get(email)
        if user is None:
            self.passwords.waste(password)
            return None
        return user if self.passwords.verify(user.password_hash, password) else None
