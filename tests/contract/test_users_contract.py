"""Users contract: the inbox logins (issue 14, B-43), on every store backend."""

from __future__ import annotations

import pytest

from ports.users import InboxUser, UserExists
from tests.contract.backends import Store
from tests.contract.samples import T0


def login(email: str = "mara@inkwell.example", studio: str = "studio-a") -> InboxUser:
    return InboxUser(email=email, studio=studio, password_hash="$argon2id$fake", created_at=T0)


async def test_B43_a_login_is_stored_on_commit_and_read_back(store: Store) -> None:
    async with store.uow() as uow:
        await uow.users.add(login())
        await uow.commit()

    async with store.uow() as uow:
        assert await uow.users.get("mara@inkwell.example") == login()
        assert await uow.users.get("nobody@inkwell.example") is None


async def test_B43_a_login_not_committed_is_not_stored(store: Store) -> None:
    async with store.uow() as uow:
        await uow.users.add(login())
        await uow.rollback()

    async with store.uow() as uow:
        assert await uow.users.all() == []


async def test_B43_an_email_is_taken_once(store: Store) -> None:
    async with store.uow() as uow:
        await uow.users.add(login())
        await uow.commit()

    async with store.uow() as uow:
        with pytest.raises(UserExists):
            await uow.users.add(login(studio="studio-b"))
        await uow.rollback()

    async with store.uow() as uow:
        assert [u.studio for u in await uow.users.all()] == ["studio-a"]


async def test_B43_logins_are_listed_by_email_and_removed(store: Store) -> None:
    async with store.uow() as uow:
        for email in ("zed@x.example", "ann@x.example"):
            await uow.users.add(login(email))
        await uow.commit()

    async with store.uow() as uow:
        assert [u.email for u in await uow.users.all()] == ["ann@x.example", "zed@x.example"]
        assert await uow.users.remove("zed@x.example") is True
        assert await uow.users.remove("nobody@x.example") is False
        await uow.commit()

    async with store.uow() as uow:
        assert [u.email for u in await uow.users.all()] == ["ann@x.example"]
