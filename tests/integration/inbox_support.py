"""Helpers of the inbox HTTP tests (no tests here): a login, a signed-in client."""

from __future__ import annotations

import re

import httpx

from tests.integration.test_http_support import Api

EMAIL = "mara@inkwell.example"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def cheap_passwords(container: object) -> None:
    """The real argon2 adapter with test-cheap parameters (a default hash takes ~0.1-0.5 s)."""
    from dependency_injector import providers

    from adapters.system.passwords import Argon2Passwords

    container.passwords.override(  # type: ignore[attr-defined]
        providers.Singleton(Argon2Passwords, time_cost=1, memory_cost=1024, parallelism=1)
    )


async def add_login(api: Api, email: str = EMAIL, studio: str = "demo",
                    password: str = PASSWORD) -> None:
    cheap_passwords(api.container)
    await api.container.logins().add(email, studio, password)


async def sign_in(api: Api, email: str = EMAIL, password: str = PASSWORD,
                  next_path: str = "/inbox") -> httpx.Response:
    cheap_passwords(api.container)
    form = await api.client.get("/inbox/login", params={"next": next_path})
    return await api.client.post("/inbox/login", data={
        "csrf": csrf_of(form.text), "email": email, "password": password, "next": next_path,
    }, follow_redirects=False)
