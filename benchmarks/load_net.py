"""The HTTP pieces of ``load.py``: a lean keep-alive client and the fake Graph API."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from load_script import GRAPH_VERSION, PHONE_NUMBER_ID

REQUEST_TIMEOUT = 30.0

# -- a minimal HTTP/1.1 keep-alive client ---------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep_alive) of one response with a Content-Length or chunked body."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    match = re.search(rb"\r\ncontent-length:\s*(\d+)", lower)
    if match:
        body = await reader.readexactly(int(match.group(1)))
    elif b"transfer-encoding: chunked" in lower:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(p[:-2] for p in parts)
    else:
        body = b""
    return status, body, b"\r\nconnection: close" not in lower


class Pool:
    """Keep-alive connections to one server, at most ``size`` open.

    uvicorn closes a connection idle for 5 s: idle ones older than ``STALE`` are not
    reused, and a request that finds its reused connection closed before any byte
    of the answer is sent again once on a fresh one (webhooks are idempotent anyway).
    """

    STALE = 3.0

    def __init__(self, host: str, port: int, size: int) -> None:
        self._host, self._port, self._size = host, port, size
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._open = 0
        self._freed = asyncio.Condition()
        self.reconnects = 0

    async def request(self, data: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            reader, writer, reused = await self._get()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    writer.write(data)
                    status, body, keep = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                await self._drop(writer)
                partial = getattr(exc, "partial", b"")
                if reused and not partial and attempt == 1:
                    self.reconnects += 1
                    continue
                raise
            except BaseException:
                await self._drop(writer)
                raise
            if keep:
                self._idle.append((reader, writer, time.monotonic()))
                async with self._freed:
                    self._freed.notify()
            else:
                await self._drop(writer)
            return status, body
        raise AssertionError("unreachable")

    async def _get(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        while True:
            while self._idle:
                reader, writer, used = self._idle.pop()
                if time.monotonic() - used < self.STALE:
                    return reader, writer, True
                await self._drop(writer)
            if self._open < self._size:
                self._open += 1
                try:
                    reader, writer = await asyncio.open_connection(self._host, self._port)
                except BaseException:
                    self._open -= 1
                    raise
                return reader, writer, False
            async with self._freed:
                await self._freed.wait()

    async def _drop(self, writer: asyncio.StreamWriter) -> None:
        self._open -= 1
        writer.close()
        async with self._freed:
            self._freed.notify()

    async def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()
        self._idle.clear()


async def http_get(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        async with asyncio.timeout(10):
            status, body, _ = await read_response(reader)
        return status, body
    finally:
        writer.close()


# -- the fake Graph API (runs as a child process: ``load.py --fake-graph``) ---------------------


def fake_graph_main() -> None:
    """Answer every send like Meta does; keep (monotonic time, sending phone number id,
    recipient) of each delivery, time-stamped on arrival.

    ``GET /__count`` -> {"count", "last"}; ``GET /__stats[?since=T]`` -> the deliveries
    (since monotonic time T). Exits when its stdin closes (the generator went away).
    """
    deliveries: list[tuple[float, str, str]] = []
    bad: list[str] = []
    prefix = f"/{GRAPH_VERSION}/".encode()

    def respond(writer: asyncio.StreamWriter, status: str, body: bytes) -> None:
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                now = time.monotonic()
                line = head[: head.index(b"\r\n")].split(b" ")
                lower = head.lower()
                match = re.search(rb"\r\ncontent-length:\s*(\d+)", lower)
                body = await reader.readexactly(int(match.group(1))) if match else b""
                method, path = line[0], line[1]
                if method == b"POST" and path.startswith(prefix) and path.endswith(b"/messages"):
                    phone_id = path[len(prefix): -len(b"/messages")].decode()
                    to = json.loads(body).get("to", "")
                    if phone_id != PHONE_NUMBER_ID or b"authorization: bearer bench" not in lower:
                        bad.append(f"{phone_id} auth={b'authorization: bearer bench' in lower}")
                    deliveries.append((now, phone_id, to))
                    answer = {"messaging_product": "whatsapp",
                              "contacts": [{"input": to, "wa_id": to}],
                              "messages": [{"id": f"wamid.fake{len(deliveries)}"}]}
                    respond(writer, "200 OK", json.dumps(answer).encode())
                elif path == b"/__count":
                    last = deliveries[-1][0] if deliveries else None
                    respond(writer, "200 OK",
                            json.dumps({"count": len(deliveries), "last": last}).encode())
                elif path.startswith(b"/__stats"):
                    query = parse_qs(path.partition(b"?")[2].decode())
                    since = float(query.get("since", ["-inf"])[0])
                    stats = {"deliveries": [d for d in deliveries if d[0] >= since],
                             "bad": bad[:20], "bad_count": len(bad)}
                    respond(writer, "200 OK", json.dumps(stats).encode())
                else:
                    respond(writer, "404 Not Found", b'{"error":{"message":"unknown path"}}')
                if b"\r\nconnection: close" in lower:
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    serve_child(handle)


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def serve_child(handle: Handler) -> None:
    """A fake API's child process: serve ``handle`` on a free port of 127.0.0.1, print
    ``PORT <n>``, exit when stdin closes (the parent went away) or on SIGTERM."""

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        async with server:
            await server.serve_forever()

    def watch_parent() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    try:  # Meta's stand-in: on uvloop (as `inkbook serve` is) its CPU is less of the machine's
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard] on Linux
        asyncio.run(serve())
    else:
        uvloop.run(serve())
