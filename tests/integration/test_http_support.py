"""Shared helpers of the HTTP tests (no tests here): a real app on a fresh SQLite file.

``running(tmp_path, ...)`` builds the real container from environment settings,
migrates the database, and yields an ``Api`` around ``AsyncTestClient``.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from adapters.meta import sign
from adapters.sql import upgrade
from core.domain.events import Event
from core.domain.lead import Lead
from entrypoints.container import build_container
from entrypoints.http import create_app
from entrypoints.settings import Settings, load_settings
from tests.fixtures.samples import body, meta_signatures

APP_SECRET = "test_app_secret"
ADMIN_KEY = "admin-key-for-tests"
VERIFY_TOKEN = "verify-me"
CHANNEL = "112233445566778"  # the demo studio's meta_phone_number_id
CLIENT = "447911123456"


# -- samples (tests/fixtures/payloads) ------------------------------------------------------

vectors = meta_signatures
sample = body


def now_ts(offset: int = 0) -> str:
    return str(int(time.time()) + offset)


def message(
    id: str,
    text: str | None = None,
    *,
    contact: str = CLIENT,
    ts: str | None = None,
    kind: str = "text",
    **fields: Any,
) -> dict[str, Any]:
    item: dict[str, Any] = {"from": contact, "id": id, "timestamp": ts or now_ts(), "type": kind}
    if text is not None:
        item["text"] = {"body": text}
    item.update(fields)
    return item


def webhook(
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    *,
    channel: str = CHANNEL,
    name: str = "Zoë",
) -> bytes:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "447700900123", "phone_number_id": channel},
    }
    if messages:
        contacts = {m["from"] for m in messages if "from" in m}
        value["contacts"] = [{"profile": {"name": name}, "wa_id": c} for c in sorted(contacts)]
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    envelope = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "104455667788990", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(envelope).encode()


def status(
    id: str, state: str, *, code: int | None = None, ts: str | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": id,
        "status": state,
        "timestamp": ts or now_ts(),
        "recipient_id": CLIENT,
    }
    if code is not None:
        item["errors"] = [{"code": code, "title": "error", "error_data": {"details": "why"}}]
    return item


# -- the app -------------------------------------------------------------------------------


def environment(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        "INKBOOK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'inkbook.db'}",
        "INKBOOK_META_APP_SECRET": APP_SECRET,
        "INKBOOK_META_VERIFY_TOKEN": VERIFY_TOKEN,
        "INKBOOK_MESSENGER": "console",
        "INKBOOK_ADMIN_API_KEY": ADMIN_KEY,
        "INKBOOK_SECRET_KEY": "test-secret-key",
    }
    for key, value in overrides.items():
        name = f"INKBOOK_{key.upper()}"
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


class Api:
    def __init__(self, client: AsyncTestClient[Any], container: Any) -> None:
        self.client = client
        self.container = container

    async def post_meta(self, body: bytes, signature: str | None = "sign") -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            signature = sign(APP_SECRET, body)
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return await self.client.post("/webhooks/meta", content=body, headers=headers)

    async def admin(self, path: str, key: str | None = ADMIN_KEY, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
        return await self.client.get(path, headers=headers, params=params or None)

    def store(self) -> Any:
        """The store the test reads through (the app's own, unless a subclass says)."""
        return self.container.store()

    async def events(self, kind: str | None = None) -> list[Event]:
        async with self.store().uow() as uow:
            events: list[Event] = await uow.events(kind=kind)
            return events

    async def leads(self) -> list[Lead]:
        async with self.store().uow() as uow:
            leads: list[Lead] = await uow.leads.list(limit=500)
            return leads

    async def claimed(self, message_id: str) -> bool:
        """Whether the provider message id was already processed (the probe is rolled back)."""
        async with self.store().uow() as uow:
            return not await uow.claim(f"meta:{message_id}")


def settings_for(tmp_path: Path, migrate: bool = True, **overrides: str | None) -> Settings:
    settings = load_settings(env=environment(tmp_path, **overrides))
    if migrate:
        upgrade(settings.database_url)
    return settings


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Api]:
    container = build_container(settings)
    app = create_app(container)
    try:
        async with AsyncTestClient(app) as client:
            yield Api(client, container)
    finally:
        with contextlib.suppress(RuntimeError):  # its connections may belong to the app's loop
            await container.http().aclose()  # the media downloads' httpx client
            await container.http_pool().aclose()  # the sends' aiohttp session (issue 12)
        store = container.store()
        dispose = getattr(store, "dispose", None)
        if dispose is not None:
            await dispose()


class BrokenStore:
    """A store whose database is down: every unit of work fails on entry."""

    name = "broken"

    def uow(self) -> Any:
        raise ConnectionRefusedError("database is down")

    async def wait_for_work(self, timeout: float) -> None:
        return None


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A fresh SQLite service with the test secrets (tests/integration/conftest.py shares it)."""
    return settings_for(tmp_path)


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    async with running(settings) as api:
        yield api
