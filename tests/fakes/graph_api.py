"""A local fake of Graph's HTTP API: a real HTTP/1.1 server on 127.0.0.1, port 0, in the
test's own event loop (so a handler may await the test's store).

Each request reaches ``handle`` as the ``httpx.Request`` it was on the wire (method, the
URL from ``Host`` and the raw request target, or the absolute target a proxy is sent,
headers, body); the ``httpx.Response`` it
returns is written back as it is (status, reason, headers, body; ``Content-Length`` added
when missing). A handler may be a coroutine function. Instead of a response it may return
one of the failure modes below, which the messenger must meet as a real network would:

- ``DISCONNECT``: the connection closes without an answer (a reset mid-request);
- ``TRUNCATED``: the head promises 100 bytes, 10 come, the connection closes;
- ``GARBAGE``: something that is not HTTP comes back;
- ``SILENCE``: no answer, the connection stays open (a read timeout).

``connections`` counts the TCP connections accepted, ``requests`` the requests read.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import httpx

DISCONNECT, TRUNCATED, GARBAGE, SILENCE = "disconnect", "truncated", "garbage", "silence"
Answer = httpx.Response | str
Handler = Callable[[httpx.Request], Answer | Awaitable[Answer]]


class FakeGraphServer:
    def __init__(self, handle: Handler) -> None:
        self.handle = handle
        self.connections = 0
        self.requests: list[httpx.Request] = []
        self.url = ""  # http://127.0.0.1:<port>, once started
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> FakeGraphServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                self.requests.append(request)
                answer = self.handle(request)
                if inspect.isawaitable(answer):
                    answer = await answer
                if answer == SILENCE:
                    await reader.read()  # until the client gives up or the server closes
                    return
                if answer == DISCONNECT:
                    return
                if answer == GARBAGE:
                    writer.write(b"this is not HTTP\r\n\r\n")
                    await writer.drain()
                    return
                if answer == TRUNCATED:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 100\r\n\r\n" + b'{"messages"')
                    await writer.drain()
                    return
                assert isinstance(answer, httpx.Response)
                writer.write(_wire(answer))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> httpx.Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # the client closed its kept-alive connection
    line, *fields = head[:-4].decode("latin-1").split("\r\n")
    method, target, _version = line.split(" ", 2)
    headers = [tuple(part.strip() for part in field.split(":", 1)) for field in fields]
    found = {name.lower(): value for name, value in headers}
    body = await reader.readexactly(int(found.get("content-length", "0")))
    # A proxy is asked for the absolute URL; a server for the path on its Host.
    url = target if target.startswith("http") else f"http://{found['host']}{target}"
    return httpx.Request(method, url, headers=headers, content=body)


def _wire(response: httpx.Response) -> bytes:
    head = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    head += [f"{name}: {value}" for name, value in response.headers.multi_items()]
    if "content-length" not in response.headers:
        head.append(f"Content-Length: {len(response.content)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.content


@asynccontextmanager
async def graph_api(
    handle: Handler, **session: Any
) -> AsyncIterator[tuple[FakeGraphServer, aiohttp.ClientSession]]:
    """The fake running, and an aiohttp session to reach it (``session``: its options)."""
    async with FakeGraphServer(handle) as server, aiohttp.ClientSession(**session) as client:
        yield server, client
