"""InboxLogins on the memory store: who may sign in to which studio's inbox (B-43)."""

from __future__ import annotations

import pytest

from adapters.memory import ManualClock, MemoryStore
from adapters.system.passwords import Argon2Passwords
from core.domain.studios import Studios
from core.usecases.logins import InboxLogins, LoginRefused
from tests.unit.harness import START


@pytest.fixture
def logins(studio: object) -> InboxLogins:
    return InboxLogins(
        uow=MemoryStore().uow,
        passwords=Argon2Passwords(time_cost=1, memory_cost=1024, parallelism=1),
        clock=ManualClock(START),
        studios=Studios([studio]),  # type: ignore[list-item]
    )


async def test_B43_a_login_signs_in_with_its_password_only(logins: InboxLogins) -> None:
    studio = next(iter(logins.studios)).id
    added = await logins.add("  Mara@Inkwell.Example ", studio, "long enough pw")

    assert added.email == "mara@inkwell.example"
    assert added.password_hash.startswith("$argon2id$")
    assert "long enough pw" not in added.password_hash
    assert await logins.sign_in("MARA@inkwell.example", "long enough pw") == added
    assert await logins.sign_in("mara@inkwell.example", "wrong password") is None
    assert await logins.sign_in("nobody@inkwell.example", "long enough pw") is None


@pytest.mark.parametrize(
    ("email", "studio_id", "password", "why"),
    [
        ("not-an-email", None, "long enough pw", "not an email address"),
        ("a@b.example", "no-such-studio", "long enough pw", "no studio 'no-such-studio'"),
        ("a@b.example", None, "short", "at least 8 characters"),
    ],
)
async def test_B43_a_login_that_cannot_work_is_refused_with_the_reason(
    logins: InboxLogins, email: str, studio_id: str | None, password: str, why: str
) -> None:
    with pytest.raises(LoginRefused, match=why):
        await logins.add(email, studio_id or next(iter(logins.studios)).id, password)
    assert await logins.all() == []


async def test_B43_an_email_has_one_login_and_removing_it_ends_sign_in(
    logins: InboxLogins,
) -> None:
    studio = next(iter(logins.studios)).id
    await logins.add("mara@inkwell.example", studio, "long enough pw")

    with pytest.raises(LoginRefused, match="already has a login"):
        await logins.add("MARA@inkwell.example", studio, "another password")
    assert await logins.remove("Mara@Inkwell.example") is True
    assert await logins.remove("mara@inkwell.example") is False
    assert await logins.sign_in("mara@inkwell.example", "long enough pw") is None
