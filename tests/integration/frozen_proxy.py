"""A TCP proxy to PostgreSQL that can be frozen: like ``kill -STOP`` on the server,
connections stay open and nothing answers. Runs its own event loop in a thread."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from sqlalchemy.engine import make_url


class FrozenProxy:
    def __init__(self, target_url: str) -> None:
        url = make_url(target_url)
        self._target = (url.host or "127.0.0.1", url.port or 5432)
        self._url = url
        self.frozen = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: Any = None
        self.port = 0

    @property
    def url(self) -> str:
        return self._url.set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False
        )

    def __enter__(self) -> FrozenProxy:
        self._thread.start()
        self._ready.wait(5)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.frozen.clear()
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _shutdown(self) -> None:
        """Close the listener and end every piped connection (no task left pending)."""
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while self.frozen.is_set():  # a frozen server accepts, then says nothing
            await asyncio.sleep(0.05)
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer),
                             return_exceptions=True)
        for w in (writer, up_writer):
            w.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            while self.frozen.is_set():  # hold the bytes: nobody hears back
                await asyncio.sleep(0.05)
            writer.write(data)
            await writer.drain()
        writer.close()
