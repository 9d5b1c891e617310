"""CPU per send of the Meta and Twilio messengers on the container's HTTP pool.

A minimal HTTP/1.1 server in a child process answers every POST (as Graph's ``/messages``
or Twilio's ``Messages.json``); this process sends ``--sends`` messages, ``--concurrency``
at a time, after 200 to warm up, on uvloop, and prints its own CPU time per send
(the server's is not counted). ``bare`` is aiohttp's ``session.post`` with nothing
around it: the floor for a send on this pool.

    .venv/bin/python benchmarks/send.py [meta] [twilio] [bare] [--sends 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

SERVER = r'''
import asyncio
META = b'{"messaging_product":"whatsapp","messages":[{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgA"}]}'
TWILIO = b'{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}'
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lower = head.lower()
            start = lower.index(b"content-length:") + 15
            await reader.readexactly(int(lower[start:lower.index(b"\r\n", start)]))
            twilio = b"Messages.json" in head
            status, body = (b"201 Created", TWILIO) if twilio else (b"200 OK", META)
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body) + body)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
'''

Send = Callable[[], Awaitable[Any]]


def senders(kind: str, base: str, pool: Any) -> Send:
    from core.domain.outbound import TextIntent

    intent = TextIntent("Thanks! What size are you thinking of, roughly, in cm?")
    if kind == "meta":
        from adapters.meta import MetaMessenger

        meta = MetaMessenger(pool.session, base + "/v25.0", "token")
        return lambda: meta.send("112233445566778", "447911123456", intent)
    if kind == "twilio":
        from adapters.twilio import TwilioMessenger

        twilio = TwilioMessenger(pool.session, base, "AC" + "0" * 32, "token",
                                 "https://ink.example.test/webhooks/twilio/status")
        return lambda: twilio.send("+14155238886", "447911123456", intent)
    url = base + "/v25.0/112233445566778/messages"
    headers = {"Authorization": "Bearer token", "Content-Type": "application/json"}
    body = b'{"messaging_product":"whatsapp","to":"447911123456","type":"text","text":{"body":"x"}}'

    async def bare() -> None:
        async with pool.session().post(url, data=body, headers=headers) as response:
            await response.read()

    return bare


async def measure(kind: str, base: str, sends: int, concurrency: int) -> float:
    from entrypoints.clients import HttpPool

    pool = HttpPool(connections=concurrency)
    send = senders(kind, base, pool)
    try:
        for _ in range(200):
            await send()

        async def worker(count: int) -> None:
            for _ in range(count):
                await send()

        cpu = time.process_time()
        await asyncio.gather(*(worker(sends // concurrency) for _ in range(concurrency)))
        return (time.process_time() - cpu) / (sends // concurrency * concurrency)
    finally:
        await pool.aclose()


async def main(args: argparse.Namespace) -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{int(server.stdout.readline())}"
        for kind in args.kinds or ["meta", "twilio", "bare"]:
            per_send = await measure(kind, base, args.sends, args.concurrency)
            print(f"{kind:7s} {per_send * 1e6:7.1f} us of CPU per send")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kinds", nargs="*", choices=["meta", "twilio", "bare", []])
    parser.add_argument("--sends", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    import uvloop

    uvloop.run(main(parser.parse_args()))
