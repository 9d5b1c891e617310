"""The outbox relay alone on PostgreSQL: drain rate, CPU per delivery, the shared per-number limit.

    .venv/bin/python benchmarks/relay.py [--messages 6000] [--recipients 400]
        [--artist-share 0.07] [--relays 0] [--rate 0] [--profile REPORT]

A fresh database ``inkbook_relaybench_<random>`` (dropped at the end), a fake Graph API (a
separate process, a raw asyncio HTTP/1.1 responder that time-stamps each delivery with its
recipient and text), and ``--messages`` replies
queued at once: ``--recipients`` clients in turn, with ``--artist-share`` of them to the
studio's artist number (every artist notification of a studio goes to that one number).

- ``--relays 0`` (default): the relay runs in this process, built by the real container
  (SQL throttle, Meta adapter, aiohttp), and the script prints the drain rate and this
  process's CPU per delivery (``--profile`` writes a sampling profile of it).
- Either way it prints the CPU of the bench database's PostgreSQL backends per delivery,
  and when the last client reply and the last artist notification arrived.
- ``--relays N``: N ``inkbook relay`` processes drain it; with ``--rate R``
  (``INKBOOK_MESSAGES_PER_SECOND``) the script prints the most deliveries the fake saw in
  any one-second window (sliding, by arrival time): B-29 says at most R.

Every phase checks that each reply arrived exactly once and in order per recipient.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.load import (  # noqa: E402 (the same database conventions)
    ADMIN_DSN,
    DB_URL,
    GRAPH_VERSION,
    http_get,
)
from benchmarks.load_net import serve_child  # noqa: E402

ARTIST = "447700900000"  # the demo studio's artist number


def fake_graph_main() -> None:
    """Answer every send like Meta does; ``GET /__stats``: every (monotonic time, to, text)."""
    deliveries: list[tuple[float, str, str]] = []

    def respond(writer: asyncio.StreamWriter, body: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lower = head.lower()
                start = lower.index(b"content-length:") + 15 if b"content-length:" in lower else -1
                length = int(lower[start:lower.index(b"\r\n", start)]) if start > 0 else 0
                body = await reader.readexactly(length) if length else b""
                if head.startswith(b"POST"):
                    now = time.monotonic()
                    sent = json.loads(body)
                    text = (sent.get("text") or {}).get("body") or sent.get("type", "")
                    deliveries.append((now, sent.get("to", ""), text))
                    answer = b'{"messaging_product":"whatsapp","messages":[{"id":"wamid.f%d"}]}'
                    respond(writer, answer % len(deliveries))
                elif head.startswith(b"GET /__count"):
                    respond(writer, b"%d" % len(deliveries))
                    break
                else:
                    respond(writer, json.dumps({"deliveries": deliveries}).encode())
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    serve_child(handle)


def env_for(db: str, fake_port: int, rate: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKBOOK_")}
    env.update({
        "INKBOOK_DATABASE_URL": DB_URL.format(db=db),
        "INKBOOK_MESSENGER": "meta",
        "INKBOOK_META_APP_SECRET": "bench_secret",
        "INKBOOK_META_VERIFY_TOKEN": "bench",
        "INKBOOK_META_ACCESS_TOKEN": "bench",
        "INKBOOK_META_API_BASE": f"http://127.0.0.1:{fake_port}/{GRAPH_VERSION}",
        "INKBOOK_MESSAGES_PER_SECOND": f"{rate:g}",
        "INKBOOK_LOG_LEVEL": "WARNING",
        **{k: v for k, v in os.environ.items() if k.startswith("INKBOOK_RELAY_")},
        "INKBOOK_SECRET_KEY": "relay-bench-secret-key",
    })
    return env


async def admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def queue(
    store: Any, messages: int, recipients: int, artist_share: float
) -> dict[str, list[str]]:
    """Queue the replies in chunks; returns each recipient's bodies in queued order."""
    import msgspec

    from core.domain.outbound import ARTIST as TO_ARTIST
    from core.domain.outbound import CLIENT, Outgoing, TextIntent

    order: dict[str, list[str]] = defaultdict(list)
    now = store.clock.now()
    leads: dict[str, str] = {}
    async with store.uow() as uow:  # each client wrote just now: the 24-hour window is open
        for r in range(recipients):
            lead = await uow.leads.lock("demo", f"4479{r:08d}", now)
            times = msgspec.structs.replace(lead.times, last_client_message=now)
            await uow.leads.save(msgspec.structs.replace(lead, times=times))
            leads[lead.contact] = lead.id
        await uow.commit()
    batch: list[Any] = []
    every = round(1 / artist_share) if artist_share > 0 else 0
    for n in range(messages):
        to_artist = every and n % every == every - 1
        client = f"4479{n % recipients:08d}"
        to = ARTIST if to_artist else client
        body = f"m{n}"
        order[to].append(body)
        batch.append(Outgoing(lead_id=leads[client], studio="demo",
                              audience=TO_ARTIST if to_artist else CLIENT, to=to,
                              intent=TextIntent(body=body), purpose="ask_question"))
    for start in range(0, len(batch), 500):
        async with store.uow() as uow:
            await uow.outbox.append(batch[start:start + 500], now)
            await uow.commit()
    return order


def check(deliveries: list[Any], order: dict[str, list[str]]) -> str:
    got: dict[str, list[str]] = defaultdict(list)
    for _, to, body in deliveries:
        got[to].append(body)
    wrong = [to for to, bodies in order.items() if got.get(to) != bodies]
    extra = sum(len(v) for v in got.values()) - sum(len(v) for v in order.values())
    return ("every reply once, in order per recipient" if not wrong and not extra
            else f"WRONG: {len(wrong)} recipients off, {extra:+d} deliveries")


async def backends_seconds(db: str, since: dict[int, float] | None = None) -> Any:
    """CPU seconds of the bench database's backends: a snapshot, or the total since one
    (a backend that closed in between is lost; the relays' pools keep theirs)."""
    import asyncpg

    from benchmarks.load_procs import process_seconds

    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        pids = [row[0] for row in await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1", db)]
    finally:
        await conn.close()
    now = {pid: process_seconds(pid) for pid in pids}
    if since is None:
        return now
    return sum(t - since.get(pid, 0.0) for pid, t in now.items())


def busiest_second(times: list[float]) -> int:
    """Most arrivals in any window [t, t + 1 s) starting at an arrival (sliding window)."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


async def fake_count(port: int) -> int:
    _, body = await http_get(port, "/__count")
    return int(body)


async def fake_deliveries(port: int) -> list[Any]:
    _, body = await http_get(port, "/__stats")
    return json.loads(body)["deliveries"]


async def main(args: argparse.Namespace) -> None:
    from adapters.sql import SqlStore, aupgrade
    from adapters.system.clock import SystemClock
    from entrypoints.container import build_container
    from entrypoints.settings import load_settings

    db = f"inkbook_relaybench_{secrets.token_hex(3)}"
    await admin(f'CREATE DATABASE "{db}"')
    fake = subprocess.Popen([sys.executable, __file__, "--fake-graph"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, start_new_session=True)
    relays: list[subprocess.Popen[bytes]] = []
    try:
        assert fake.stdout is not None
        port = int(fake.stdout.readline().split()[1])
        await aupgrade(DB_URL.format(db=db))
        rate = args.rate or 100000.0
        env = env_for(db, port, rate)
        store = SqlStore(env["INKBOOK_DATABASE_URL"], clock=SystemClock())
        order = await queue(store, args.messages, args.recipients, args.artist_share)
        await store.dispose()
        artist = len(order.get(ARTIST, []))
        print(f"queued {args.messages} replies to {len(order)} recipients "
              f"({artist} to the artist's number); INKBOOK_MESSAGES_PER_SECOND={rate:g}")
        started = time.monotonic()
        postgres0 = await backends_seconds(db)
        if args.relays:
            log = open(Path(tempfile.gettempdir()) / f"{db}.log", "wb")  # noqa: SIM115
            inkbook = str(Path(sys.executable).with_name("inkbook"))
            relays = [subprocess.Popen([inkbook, "relay"], env=env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
                      for _ in range(args.relays)]
            while await fake_count(port) < args.messages:
                if time.monotonic() - started > args.timeout:
                    break
                await asyncio.sleep(0.25)
            postgres = await backends_seconds(db, postgres0)
            print(f"{args.relays} `inkbook relay` processes (log {log.name})")
        else:
            settings = load_settings(env)
            container = build_container(settings)
            relay = container.relay()
            profiler = None
            if args.profile:
                sys.path.insert(0, str(Path(__file__).parent))
                from sampler import Sampler  # type: ignore[import-not-found]

                profiler = Sampler(0.002)
                profiler.start()
            cpu0 = time.process_time()
            stop = asyncio.Event()
            store = container.store()
            running = asyncio.create_task(relay.run(stop, store.wait_for_work))
            while await fake_count(port) < args.messages:
                if time.monotonic() - started > args.timeout:
                    break
                await asyncio.sleep(0.1)
            postgres = await backends_seconds(db, postgres0)
            stop.set()
            await running
            cpu = time.process_time() - cpu0
            if profiler is not None:
                profiler.report(Path(args.profile))
            await container.http_pool().aclose()
            await container.store().dispose()
        deliveries = await fake_deliveries(port)
        took = (max(t for t, *_ in deliveries) - min(t for t, *_ in deliveries)
                if deliveries else 0.0)
        print(f"{len(deliveries)} delivered in {took:.2f} s: {len(deliveries) / took:,.0f}/s; "
              f"busiest 1 s window (sliding) {busiest_second([d[0] for d in deliveries])}")
        if deliveries:
            first = min(t for t, *_ in deliveries)
            last_client = max((t for t, to, _ in deliveries if to != ARTIST), default=first)
            last_artist = max((t for t, to, _ in deliveries if to == ARTIST), default=first)
            print(f"last client reply at +{last_client - first:.2f} s, last artist "
                  f"notification at +{last_artist - first:.2f} s ({artist} to one number)")
        if not args.relays:
            print(f"relay process CPU {cpu:.2f} s: {cpu / max(1, len(deliveries)) * 1000:.2f} ms "
                  "per delivery (claim, send, mark, throttle)")
        print(f"PostgreSQL CPU (bench DB backends) {postgres:.2f} s: "
              f"{postgres / max(1, len(deliveries)) * 1000:.2f} ms per delivery")
        if args.timeline and deliveries:
            first = min(t for t, *_ in deliveries)
            per: dict[int, int] = defaultdict(int)
            for t, *_ in deliveries:
                per[int((t - first) * 4)] += 1
            print("per 250 ms:", " ".join(str(per[k]) for k in range(max(per) + 1)))
        print(check(deliveries, order))
    finally:
        for proc in relays:
            proc.send_signal(signal.SIGTERM)
        for proc in relays:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        fake.kill()
        fake.wait()
        await admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=6000)
    parser.add_argument("--recipients", type=int, default=400)
    parser.add_argument("--artist-share", type=float, default=1 / 15)
    parser.add_argument("--relays", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--profile", metavar="REPORT")
    parser.add_argument("--timeline", action="store_true", help="deliveries per 250 ms")
    parser.add_argument("--fake-graph", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.fake_graph:
        fake_graph_main()
    else:
        asyncio.run(main(arguments))
