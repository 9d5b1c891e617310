"""A kill -9 of ``inkbook serve`` while group commits are in flight loses nothing and
doubles nothing (B-3, B-25, issue 12).

The real server on PostgreSQL, driven over HTTP with signed Meta webhooks: 30 clients
talk at once, each sends its next message once the previous one was acknowledged and
retries every unacknowledged delivery, as Meta does. The server is killed twice
mid-run and restarted; at the end every delivery is posted once more (Meta's
duplicates). Every message must be in its lead's thread exactly once, in order, with
exactly the replies the same conversation gets one message at a time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.meta import sign
from adapters.sql import SqlStore
from adapters.system.clock import SystemClock
from core.domain.inbound import Inbound, Text
from tests.integration.test_http_support import APP_SECRET, message, webhook
from tests.unit.harness import START, Harness

pytestmark = pytest.mark.integration

CONTACTS = tuple(f"4479000002{n:02d}" for n in range(30))
TEXTS = ("hi", "large", "medium", "small", "tiny", "huge")
KILLS = 2


class Server:
    def __init__(self, url: str, tmp: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("INKBOOK_")}
        self.env.update({
            "INKBOOK_DATABASE_URL": url,
            "INKBOOK_MESSENGER": "meta",
            "INKBOOK_META_APP_SECRET": APP_SECRET,
            "INKBOOK_META_VERIFY_TOKEN": "crash",
            "INKBOOK_META_ACCESS_TOKEN": "crash",
            "INKBOOK_LOG_LEVEL": "WARNING",
            "INKBOOK_SECRET_KEY": "crash-test-secret-key",
        })
        self.tmp = tmp
        self.process: asyncio.subprocess.Process | None = None
        self.log = tmp / "server.log"

    async def start(self) -> None:
        inkbook = Path(sys.executable).with_name("inkbook")
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                str(inkbook), "serve", "--port", str(self.port), "--no-relay",
                env=self.env, cwd=self.tmp, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise AssertionError(self.log.read_text()[-3000:])
                try:
                    if (await client.get(f"{self.base}/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("inkbook serve not ready:\n" + self.log.read_text()[-3000:])

    async def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# The deliveries' timestamps: ahead of the server's clock, so no message looks written
# before the question it answers (B-5), however late a crash makes the question.
AHEAD = 600
SPACING = 60


def delivery(contact: str, n: int, ts: int) -> bytes:
    return webhook([message(f"wamid.crash.{contact}.{n}", TEXTS[n], contact=contact,
                            ts=str(ts + SPACING * n))])


async def post_until_acknowledged(client: httpx.AsyncClient, server: Server, body: bytes) -> int:
    """Meta's retry: the same delivery again until it is answered 200; how many tries."""
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(APP_SECRET, body)}
    tries = 0
    while True:
        tries += 1
        try:
            response = await client.post(f"{server.base}/webhooks/meta", content=body,
                                         headers=headers)
            if response.status_code == 200:
                return tries
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.05)


async def reference(studio: Any, gazetteer: Any) -> list[str]:
    """The client's replies to the conversation, one message at a time, in memory."""
    harness = Harness(studio, gazetteer)
    for n, text in enumerate(TEXTS):  # timestamps ahead of the clock, as the deliveries'
        at = START + timedelta(seconds=AHEAD + SPACING * n)
        await harness.handle(Inbound(message_id=f"ref.{n}", studio=studio.id, contact="4479",
                                     at=at, content=Text(text), name="Zoë"))
    lead = await harness.lead("4479")
    async with harness.store.uow() as uow:
        return [i.message.purpose for i in await uow.outbox.for_lead(lead.id)]


async def test_B3_B25_kill_9_mid_batch_loses_nothing_and_doubles_nothing(
    postgres_url: str, postgres_store: SqlStore, tmp_path: Path, studio: Any, gazetteer: Any
) -> None:
    server = Server(postgres_url, tmp_path)
    await server.start()
    total = len(CONTACTS) * len(TEXTS)
    acknowledged = 0
    retried = 0
    ts = int(time.time()) + AHEAD

    async def client_talks(client: httpx.AsyncClient, contact: str) -> None:
        nonlocal acknowledged, retried
        for n in range(len(TEXTS)):
            retried += await post_until_acknowledged(client, server, delivery(contact, n, ts)) - 1
            acknowledged += 1

    async def killer() -> None:
        for k in range(1, KILLS + 1):
            while acknowledged < total * k // (KILLS + 1):
                await asyncio.sleep(0.005)
            await server.kill()  # requests in flight: some committed, not yet answered
            await server.start()

    try:
        limits = httpx.Limits(max_connections=len(CONTACTS))
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            await asyncio.gather(killer(), *(client_talks(client, c) for c in CONTACTS))
            assert retried > 0  # the kills did catch deliveries in flight
            for contact in CONTACTS:  # Meta's duplicates of acknowledged deliveries
                for n in range(len(TEXTS)):
                    assert await post_until_acknowledged(client, server,
                                                         delivery(contact, n, ts)) == 1
    finally:
        await server.stop()

    expected = await reference(studio, gazetteer)
    reader = SqlStore(postgres_url, clock=SystemClock())
    try:
        async with reader.uow() as uow:
            for contact in CONTACTS:
                lead = await uow.leads.lock(studio.id, contact, SystemClock().now())
                thread = await uow.leads.thread(lead.id)
                received = [e.message_id for e in thread if e.direction == "in"]
                assert received == [f"wamid.crash.{contact}.{n}" for n in range(len(TEXTS))]
                outbox = [i.message.purpose for i in await uow.outbox.for_lead(lead.id)]
                assert outbox == expected, contact  # one set of replies, none twice
    finally:
        await reader.dispose()
