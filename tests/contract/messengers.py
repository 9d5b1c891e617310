"""The Messenger implementations the port's contract runs on, each with a way to fail.

- ``memory``: the in-memory messenger; ``console``: prints (never fails);
- ``meta``: the Cloud API adapter against ``tests/fakes/graph_api.py``, a local HTTP
  server answering Graph's ``/messages``;
- ``twilio``: the Twilio adapter against ``tests/fakes/twilio_api.py``, a real local
  HTTP server.

``received(to)`` is what the recipient read, in order; ``fail(kind, to)`` makes the
next send to ``to`` fail as the provider would (``window_closed``, ``rate_limited``,
``transient``, ``invalid_number``).
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, ClassVar, Protocol

import aiohttp
import httpx

from adapters.console import ConsoleMessenger
from adapters.memory import MemoryMessenger
from adapters.meta import MetaMessenger
from adapters.twilio import TwilioMessenger
from ports.messenger import (
    Messenger,
    MessengerError,
    PermanentFailure,
    RateLimited,
    TransientFailure,
    WindowClosed,
)
from tests.fakes.graph_api import FakeGraphServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, running

META_SENDER, TWILIO_SENDER = "112233445566778", "+14155238886"


class Backend(Protocol):
    messenger: Messenger
    sender: str  # the studio's number on this provider

    def received(self, to: str) -> list[str]: ...

    def fail(self, kind: str, to: str) -> None: ...


class MemoryBackend:
    ERRORS: ClassVar[dict[str, Callable[[], MessengerError]]] = {
        "window_closed": lambda: WindowClosed("outside the window", 131047),
        "rate_limited": lambda: RateLimited("slow down", 130429, retry_after=2.0),
        "transient": lambda: TransientFailure("502", 2),
        "invalid_number": lambda: PermanentFailure("invalid", 131026),
    }

    def __init__(self) -> None:
        self.memory = MemoryMessenger()
        self.messenger: Messenger = self.memory
        self.sender = META_SENDER

    def received(self, to: str) -> list[str]:
        return self.memory.texts(to)

    def fail(self, kind: str, to: str) -> None:
        self.memory.fail_next(to, self.ERRORS[kind]())


class ConsoleBackend:
    def __init__(self) -> None:
        self.out = io.StringIO()
        self.messenger: Messenger = ConsoleMessenger(out=self.out)
        self.sender = META_SENDER

    def received(self, to: str) -> list[str]:
        """Each printed message: ``[to <number>] <text>`` (texts may span lines)."""
        messages: list[tuple[str, str]] = []
        for line in self.out.getvalue().splitlines():
            if line.startswith("[to ") and "] " in line:
                head, _, text = line.partition("] ")
                messages.append((head[4:], text))
            elif messages:
                messages[-1] = (messages[-1][0], messages[-1][1] + "\n" + line)
        return [text for number, text in messages if number == to]

    def fail(self, kind: str, to: str) -> None:
        raise NotImplementedError("the console never fails")


class MetaBackend:
    """Graph's ``POST /{phone-number-id}/messages`` on a local fake server."""

    ERRORS: ClassVar[dict[str, tuple[int, int]]] = {
        "window_closed": (400, 131047),
        "rate_limited": (429, 130429),
        "transient": (500, 2),
        "invalid_number": (400, 131026),
    }

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, int]]] = {}
        self.server = FakeGraphServer(self._handle)
        self.sender = META_SENDER

    def connect(self, session: aiohttp.ClientSession) -> None:
        self.messenger: Messenger = MetaMessenger(session, self.server.url + "/v25.0", "tok")

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        failures = self._failures.get(body["to"])
        if failures:
            status, code = failures.pop(0)
            error = {"code": code, "message": "error", "error_data": {"details": "why"}}
            return httpx.Response(status, json={"error": error}, headers={"Retry-After": "2"})
        self.bodies.append(body)
        return httpx.Response(200, json={"messages": [{"id": f"wamid.{len(self.bodies)}"}]})

    def received(self, to: str) -> list[str]:
        return [_meta_text(b) for b in self.bodies if b["to"] == to]

    def fail(self, kind: str, to: str) -> None:
        self._failures.setdefault(to, []).append(self.ERRORS[kind])


def _meta_text(body: dict[str, Any]) -> str:
    match body["type"]:
        case "text":
            return str(body["text"]["body"])
        case "template":
            template = body["template"]
            params = [p["text"] for c in template.get("components", []) for p in c["parameters"]]
            return f"[template {template['name']}] " + " | ".join(params)
    interactive = body["interactive"]
    if interactive["type"] == "button":
        titles = [b["reply"]["title"] for b in interactive["action"]["buttons"]]
    else:
        titles = [r["title"] for s in interactive["action"]["sections"] for r in s["rows"]]
    options = "\n".join(f"{i}. {t}" for i, t in enumerate(titles, 1))
    return f"{interactive['body']['text']}\n{options}"


class TwilioBackend:
    def __init__(self, fake: Any, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.messenger: Messenger = TwilioMessenger(session, fake.url, ACCOUNT_SID, AUTH_TOKEN)
        self.sender = TWILIO_SENDER

    def received(self, to: str) -> list[str]:
        texts = []
        for form in self.fake.to(to):
            if "ContentSid" in form:
                params = json.loads(form.get("ContentVariables", "{}"))
                texts.append(f"[template {form['ContentSid']}] " + " | ".join(params.values()))
            else:
                texts.append(form["Body"])
        return texts

    def fail(self, kind: str, to: str) -> None:
        match kind:
            case "window_closed":
                self.fake.fail_next(63016, 400)
            case "rate_limited":
                self.fake.fail_next(20429, 429, retry_after=2)
            case "transient":
                self.fake.fail_next(20500, 500)
            case "invalid_number":
                self.fake.fail_next(21211, 400)


@asynccontextmanager
async def _memory() -> AsyncIterator[Backend]:
    yield MemoryBackend()


@asynccontextmanager
async def _console() -> AsyncIterator[Backend]:
    yield ConsoleBackend()


@asynccontextmanager
async def _meta() -> AsyncIterator[Backend]:
    backend = MetaBackend()
    async with backend.server, aiohttp.ClientSession() as session:
        backend.connect(session)
        yield backend


@asynccontextmanager
async def _twilio() -> AsyncIterator[Backend]:
    with running() as fake:
        async with aiohttp.ClientSession() as session:
            yield TwilioBackend(fake, session)


MESSENGERS: dict[str, Callable[[], AbstractAsyncContextManager[Backend]]] = {
    "memory": _memory,
    "console": _console,
    "meta": _meta,
    "twilio": _twilio,
}
FAILING = ("memory", "meta", "twilio")  # the console prints and cannot fail
