"""Load test of ``inkbook serve`` on PostgreSQL: signed webhooks in, replies out to a fake Graph.

    .venv/bin/python benchmarks/load.py [--messages 5000] [--leads 0] [--rate 500]
        [--duration 10] [--concurrency 32] [--baseline-seconds 4] [--keep-db]

One run, everything on 127.0.0.1, every phase bounded in count and time:

1. a fresh database ``inkbook_bench_<random>`` (``inkbook migrate``), dropped at the end;
2. a fake Graph API (a separate process: a raw asyncio HTTP/1.1 responder) that
   answers ``POST /v25.0/<phone id>/messages`` and time-stamps every delivery;
3. ``inkbook serve`` with ``INKBOOK_MESSENGER=meta`` pointed at the fake;
4. leads of the demo studio walking its whole question sequence, each message a
   signed webhook, each lead's next message sent only after the previous one's 200:
   (a) max throughput, closed loop, ``--concurrency`` leads at a time;
   (b) open loop at ``--rate`` messages/s for ``--duration`` s, latency measured from
       the *scheduled* send time (no coordinated omission);
   (c) the relay: deliveries to the fake (busiest second, overall, drain rate), every
       expected reply checked per recipient, outbox states at the end;
5. baseline: the bare inbound transaction through raw asyncpg, same concurrency,
   with and without the ``NOTIFY`` the service adds to each commit.

The HTTP client is raw asyncio streams over keep-alive connections (httpx costs
several times more CPU per request, and the generator shares the 2 cores with the
server and PostgreSQL). CPU per process comes from /proc (Linux only).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PHONE_NUMBER_ID = "112233445566778"  # the demo studio
DISPLAY_NUMBER = "447700900123"
APP_SECRET = "bench_secret"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
GRAPH_VERSION = "v25.0"
SUMMARY_STEP = 10  # the button reply to the summary
IDEAS = ["A fine-line swallow", "a small moth with dotted wings", "roses and a dagger",
         "a koi fish in waves", "my grandmother's handwriting", "a geometric fox"]
NAMES = ["Zoë", "Sam", "Ana", "Lee", "Priya", "Tom", "Chloé", "Max"]
SCRIPT = ["hi", "<idea>", "left forearm", "10x12cm", "fine line", "2", "no", "none", "£400",
          "London, UK", "<yes>", "<name>", "weekday afternoons"]
STEPS = len(SCRIPT)
REQUEST_TIMEOUT = 30.0
PHASE_A_MAX_SECONDS = 90.0
DRAIN_TIMEOUT = 60.0
DRAIN_STALL = 10.0  # give up draining when nothing arrived for this long


# -- expected replies, from the core itself -------------------------------------------------


@dataclass(frozen=True)
class Expected:
    client: list[int]  # replies to the client after step i
    artist: list[int]  # messages to the artist after step i
    artist_number: str

    def client_after(self, steps: int) -> int:
        return sum(self.client[:steps])

    def artist_after(self, steps: int) -> int:
        return sum(self.artist[:steps])


def expected_replies() -> Expected:
    """Play the script through ``decide`` in-process: how many messages each step queues."""
    from datetime import timedelta

    from adapters.babel import BabelFormats
    from adapters.gazetteer import GeonamesGazetteer
    from adapters.profile import demo_profile_path, load_profiles
    from core.domain.decide import decide
    from core.domain.inbound import Choice, Inbound, Text
    from core.domain.lead import new_lead
    from core.domain.studios import Studios
    from core.usecases.context import Deployment

    studios = Studios(load_profiles(demo_profile_path()))
    studio = studios.for_channel(PHONE_NUMBER_ID)
    if studio is None:
        raise SystemExit(f"the demo studio does not own phone number id {PHONE_NUMBER_ID}")
    deployment = Deployment(studios=studios, gazetteer=GeonamesGazetteer(),
                            formats=BabelFormats())
    now = datetime.now(UTC)
    lead = new_lead("sim", studio.id, "447000000000", now)
    client, artist = [], []
    for step in range(STEPS):
        now += timedelta(seconds=5)
        content: Any = (Choice("confirm_yes", "Yes") if step == SUMMARY_STEP
                        else Text(script_text(0, step)))
        inbound = Inbound(message_id=f"sim{step}", studio=studio.id, contact=lead.contact,
                          at=now.replace(microsecond=0), content=content, name="Sim")
        decision = decide(lead, inbound, deployment.context(studio.id, now))
        lead = decision.lead
        client.append(sum(1 for o in decision.outbound if o.audience == "client"))
        artist.append(sum(1 for o in decision.outbound if o.audience != "client"))
    if lead.status != "PENDING_APPROVAL":
        print(f"warning: the script ends in {lead.status}, not PENDING_APPROVAL")
    return Expected(client, artist, studio.artist_number)


def script_text(lead_no: int, step: int) -> str:
    text = SCRIPT[step]
    if text == "<idea>":
        return IDEAS[lead_no % len(IDEAS)]
    if text == "<name>":
        return NAMES[lead_no % len(NAMES)]
    return text


# -- webhooks -------------------------------------------------------------------------------


class Webhooks:
    """Signed webhook requests, built at send time (the timestamp is the send time)."""

    def __init__(self, host: str, run: str) -> None:
        self._head = ("POST /webhooks/meta HTTP/1.1\r\nHost: " + host
                      + "\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ")
        self._key = APP_SECRET.encode()
        self._run = run

    def request(self, wa_id: str, lead_no: int, step: int) -> bytes:
        message: dict[str, Any] = {"from": wa_id, "id": f"wamid.bench.{self._run}.{wa_id}.{step}",
                                   "timestamp": str(int(time.time()))}
        if step == SUMMARY_STEP:
            message["type"] = "interactive"
            message["interactive"] = {"type": "button_reply", "button_reply": {
                "id": "confirm_yes", "title": "Yes, all correct"}}
            message["context"] = {"from": DISPLAY_NUMBER, "id": f"wamid.summary.{wa_id}"}
        else:
            message["type"] = "text"
            message["text"] = {"body": script_text(lead_no, step)}
        body = json.dumps({
            "object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": DISPLAY_NUMBER,
                             "phone_number_id": PHONE_NUMBER_ID},
                "contacts": [{"profile": {"name": f"Client {lead_no}"}, "wa_id": wa_id}],
                "messages": [message]}}]}],
        }, separators=(",", ":")).encode()  # ASCII escapes, as Meta sends them
        # adapters.meta.sign, inlined to keep the generator lean (checked equal at start)
        signature = hmac.new(self._key, body, hashlib.sha256).hexdigest()
        return (f"{self._head}sha256={signature}\r\nContent-Length: {len(body)}\r\n\r\n"
                .encode() + body)


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
    """Answer every send like Meta does; keep (monotonic time, recipient) of each delivery.

    ``GET /__count`` -> {"count", "last"}; ``GET /__stats`` -> every delivery. Exits when
    its stdin closes (the generator went away).
    """
    deliveries: list[tuple[float, str]] = []
    bad: list[str] = []
    prefix = f"/{GRAPH_VERSION}/".encode()

    def respond(writer: asyncio.StreamWriter, status: str, body: bytes) -> None:
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line = head[: head.index(b"\r\n")].split(b" ")
                lower = head.lower()
                match = re.search(rb"\r\ncontent-length:\s*(\d+)", lower)
                body = await reader.readexactly(int(match.group(1))) if match else b""
                method, path = line[0], line[1]
                if method == b"POST" and path.startswith(prefix) and path.endswith(b"/messages"):
                    now = time.monotonic()
                    phone_id = path[len(prefix): -len(b"/messages")].decode()
                    to = json.loads(body).get("to", "")
                    if phone_id != PHONE_NUMBER_ID or b"authorization: bearer bench" not in lower:
                        bad.append(f"{phone_id} auth={b'authorization: bearer bench' in lower}")
                    deliveries.append((now, to))
                    answer = {"messaging_product": "whatsapp",
                              "contacts": [{"input": to, "wa_id": to}],
                              "messages": [{"id": f"wamid.fake{len(deliveries)}"}]}
                    respond(writer, "200 OK", json.dumps(answer).encode())
                elif path == b"/__count":
                    last = deliveries[-1][0] if deliveries else None
                    respond(writer, "200 OK",
                            json.dumps({"count": len(deliveries), "last": last}).encode())
                elif path == b"/__stats":
                    stats = {"deliveries": deliveries, "bad": bad[:20], "bad_count": len(bad)}
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
    asyncio.run(serve())


# -- CPU accounting from /proc --------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | str) -> tuple[str, list[str]] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    close = raw.rindex(")")
    return raw[raw.index("(") + 1: close], raw[close + 2:].split()


def process_seconds(pid: int, children: bool = False) -> float:
    stat = _stat(pid)
    if stat is None:
        return 0.0
    f = stat[1]  # f[0] is field 3 (state): utime is field 14 -> f[11]
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children else 0)
    return ticks / TICK


def tree_seconds(pid: int) -> float:
    """CPU of a process and its live descendants (``serve --workers``: the workers)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                parents[int(entry.name)] = int(stat[1][1])  # field 4: ppid
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in family:
                family.add(child)
                frontier.append(child)
    return sum(process_seconds(member) for member in family)


def postgres_seconds() -> float:
    """CPU of every postgres process, plus what the postmaster collected from exited ones."""
    procs = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat is not None and stat[0] == "postgres":
                procs[int(entry.name)] = stat[1]
    total = 0
    for f in procs.values():
        total += int(f[11]) + int(f[12])
        if int(f[1]) not in procs:  # the postmaster: add its reaped children
            total += int(f[13]) + int(f[14])
    return total / TICK


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(fields[:8])
    return (total - fields[3] - fields[4]) / TICK, total / TICK


@dataclass
class CpuSnapshot:
    wall: float
    generator: float
    fake: float
    server: float
    postgres: float  # every postgres process (other users of the cluster included)
    busy: float
    backends: dict[int, float]  # backends connected to the bench database


class Cpu:
    def __init__(self) -> None:
        self.fake_pid = 0
        self.server_pid = 0

    def snap(self, backends: list[int]) -> CpuSnapshot:
        return CpuSnapshot(time.monotonic(), time.process_time(),
                           process_seconds(self.fake_pid) if self.fake_pid else 0.0,
                           tree_seconds(self.server_pid) if self.server_pid else 0.0,
                           postgres_seconds(), machine_busy()[0],
                           {pid: process_seconds(pid) for pid in backends})

    @staticmethod
    def cores(a: CpuSnapshot, b: CpuSnapshot) -> dict[str, float]:
        wall = max(b.wall - a.wall, 1e-9)
        cores = {name: (getattr(b, name) - getattr(a, name)) / wall
                 for name in ("generator", "fake", "server", "postgres", "busy")}
        # a backend that exited during the interval is lost (the server's pool keeps them)
        cores["backends"] = sum(t - a.backends.get(pid, 0.0)
                                for pid, t in b.backends.items()) / wall
        return cores


def cores_line(cores: dict[str, float]) -> str:
    ours = sum(cores[k] for k in ("server", "postgres", "generator", "fake"))
    return (f"cores used: server {cores['server']:.2f}, PostgreSQL {cores['backends']:.2f} "
            f"(bench DB backends; all postgres processes {cores['postgres']:.2f}), "
            f"generator {cores['generator']:.2f}, fake Graph {cores['fake']:.2f}; "
            f"machine busy {cores['busy']:.2f} of {os.cpu_count()} "
            f"(other processes {max(0.0, cores['busy'] - ours):.2f})")


# -- figures --------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.1f} ms"


def busiest(times: list[float], window: float = 1.0) -> int:
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] > window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


@dataclass
class Run:
    """Everything the generator observed."""

    sent: dict[tuple[str, int], float] = field(default_factory=dict)  # (wa_id, step) -> t
    steps: dict[str, int] = field(default_factory=dict)  # wa_id -> steps acknowledged
    errors: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class PhaseResult:
    ok: int
    seconds: float
    latencies: list[float]
    cores: dict[str, float]
    server_mean: float  # mean handler time measured inside the server (its histogram)
    extra: dict[str, Any] = field(default_factory=dict)


# -- the benchmark ----------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.run_id = secrets.token_hex(3)
        self.db = f"inkbook_bench_{self.run_id}"
        self.cpu = Cpu()
        self.run = Run()
        self.tmp = Path(tempfile.mkdtemp(prefix="inkbook_bench_"))
        self.server: asyncio.subprocess.Process | None = None
        self.fake: asyncio.subprocess.Process | None = None
        self.relay: asyncio.subprocess.Process | None = None
        self.created = self.dropped = False
        self.fake_port = 0
        self.port = 0
        self.pool: Pool | None = None
        self.hooks: Webhooks | None = None
        self.peak_server_connections = 0

    # -- setup --------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INKBOOK_")}
        env.update({
            "INKBOOK_DATABASE_URL": DB_URL.format(db=self.db),
            "INKBOOK_MESSENGER": "meta",
            "INKBOOK_META_APP_SECRET": APP_SECRET,
            "INKBOOK_META_VERIFY_TOKEN": "bench",
            "INKBOOK_META_ACCESS_TOKEN": "bench",
            "INKBOOK_META_API_BASE": f"http://127.0.0.1:{self.fake_port}/{GRAPH_VERSION}",
            "INKBOOK_MESSAGES_PER_SECOND": "100000",
            "INKBOOK_LOG_LEVEL": "WARNING",
            "INKBOOK_SECRET_KEY": "bench-secret-key-" + self.run_id,
        })
        return env

    async def create_db(self) -> None:
        import asyncpg

        conn = await asyncpg.connect(ADMIN_DSN)
        try:
            await conn.execute(f'CREATE DATABASE "{self.db}"')
            self.created = True
        finally:
            await conn.close()
        print(f"database {self.db} created")

    async def drop_db(self) -> None:
        import asyncpg

        conn = await asyncpg.connect(ADMIN_DSN)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            self.dropped = True
        finally:
            await conn.close()
        print(f"database {self.db} dropped")

    def inkbook(self) -> str:
        exe = Path(sys.executable).with_name("inkbook")
        if not exe.exists():
            raise SystemExit(f"no `inkbook` next to {sys.executable}: run with .venv/bin/python")
        return str(exe)

    async def migrate(self) -> None:
        proc = await asyncio.create_subprocess_exec(
            self.inkbook(), "migrate", env=self.env(), cwd=self.tmp,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"inkbook migrate failed:\n{out.decode()[-2000:]}")

    async def start_fake(self) -> None:
        self.fake = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--fake-graph", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, start_new_session=True)
        assert self.fake.stdout is not None
        line = await asyncio.wait_for(self.fake.stdout.readline(), 20)
        self.fake_port = int(line.split()[1])
        self.cpu.fake_pid = self.fake.pid
        print(f"fake Graph API on http://127.0.0.1:{self.fake_port}/{GRAPH_VERSION} "
              f"(pid {self.fake.pid})")

    async def start_server(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        log = open(self.tmp / "server.log", "wb")  # noqa: SIM115 - closed with the process
        command = [self.inkbook()]
        if self.args.profile_server:
            sampler = Path(__file__).with_name("sampler.py")
            command = [sys.executable, str(sampler), str(Path(self.args.profile_server).resolve())]
        serve = ["serve", "--port", str(self.port), "--workers", str(self.args.workers)]
        if self.args.split_relay:
            serve.append("--no-relay")
            self.relay = await asyncio.create_subprocess_exec(
                self.inkbook(), "relay", env=self.env(), cwd=self.tmp, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
            print(f"inkbook relay in its own process (pid {self.relay.pid})")
        self.server = await asyncio.create_subprocess_exec(
            *command, *serve, env=self.env(), cwd=self.tmp,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.cpu.server_pid = self.server.pid
        print(f"inkbook serve on http://127.0.0.1:{self.port} (pid {self.server.pid}); "
              f"INKBOOK_MESSAGES_PER_SECOND=100000 (the per-number limit does not cap this run)")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.returncode is not None:
                raise SystemExit(f"inkbook serve exited ({self.server.returncode}):\n"
                                 + self.server_log_tail())
            with contextlib.suppress(OSError, asyncio.TimeoutError, ValueError,
                                     asyncio.IncompleteReadError):
                status, _ = await http_get(self.port, "/readyz")
                if status == 200:
                    return
            await asyncio.sleep(0.2)
        raise SystemExit("inkbook serve not ready after 60 s:\n" + self.server_log_tail())

    def server_log_tail(self, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return (self.tmp / "server.log").read_text(errors="replace")[-chars:]
        return ""

    async def stop_children(self) -> None:
        for proc in (self.server, self.relay, self.fake):
            if proc is not None and proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(proc.wait(), 15)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()
                    await proc.wait()

    # -- observation ----------------------------------------------------------------------

    async def snap(self) -> CpuSnapshot:
        pids = []
        if self.created and not self.dropped:
            import asyncpg

            conn = await asyncpg.connect(ADMIN_DSN)
            try:
                pids = [r["pid"] for r in await conn.fetch(
                    "SELECT pid FROM pg_stat_activity WHERE datname = $1", self.db)]
            finally:
                await conn.close()
        return self.cpu.snap(pids)

    async def db_stats(self) -> tuple[int, int, int]:
        """(sessions, commits, rollbacks) of the bench database so far (pg_stat_database)."""
        import asyncpg

        conn = await asyncpg.connect(ADMIN_DSN)
        try:
            row = await conn.fetchrow("SELECT sessions, xact_commit, xact_rollback "
                                      "FROM pg_stat_database WHERE datname = $1", self.db)
        finally:
            await conn.close()
        return (row["sessions"], row["xact_commit"], row["xact_rollback"]) if row else (0, 0, 0)

    async def server_histogram(self) -> tuple[float, float]:
        """(sum, count) of the server's own webhook latency histogram."""
        status, body = await http_get(self.port, "/metrics")
        text = body.decode()
        total = re.search(r'^inkbook_webhook_seconds_sum\{provider="meta"\} (\S+)', text, re.M)
        count = re.search(r'^inkbook_webhook_seconds_count\{provider="meta"\} (\S+)', text, re.M)
        if status != 200 or not total or not count:
            return 0.0, 0.0
        return float(total.group(1)), float(count.group(1))

    async def watch_connections(self, stop: asyncio.Event) -> None:
        import asyncpg

        conn = await asyncpg.connect(ADMIN_DSN)
        try:
            while not stop.is_set():
                n = await conn.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", self.db)
                self.peak_server_connections = max(self.peak_server_connections, n)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.5)
        finally:
            await conn.close()

    async def deliveries_count(self) -> tuple[int, float | None]:
        _, body = await http_get(self.fake_port, "/__count")
        data = json.loads(body)
        return data["count"], data["last"]

    def expected_total(self, expected: Expected) -> int:
        return sum(expected.client_after(n) + expected.artist_after(n)
                   for n in self.run.steps.values())

    async def drain(self, expected: Expected, label: str) -> dict[str, Any]:
        """Wait until the fake got every expected reply (or nothing arrives for a while)."""
        before = await self.snap()
        start = time.monotonic()
        want = self.expected_total(expected)
        count, _ = await self.deliveries_count()
        backlog = want - count
        last_change, last_count = start, count
        while count < want and time.monotonic() - start < DRAIN_TIMEOUT:
            await asyncio.sleep(0.1)
            count, _ = await self.deliveries_count()
            if count != last_count:
                last_change, last_count = time.monotonic(), count
            elif time.monotonic() - last_change > DRAIN_STALL:
                break
        _, last = await self.deliveries_count()
        took = (last - start) if last and count > want - backlog else 0.0
        cores = Cpu.cores(before, await self.snap())
        result = {"backlog": backlog, "drained": count - (want - backlog), "seconds": took,
                  "complete": count >= want, "waited": time.monotonic() - start}
        rate = result["drained"] / took if took > 0 else math.nan
        print(f"  relay after {label}: backlog {backlog} when inbound stopped, "
              f"{result['drained']} delivered in {took:.2f} s"
              + (f" ({rate:,.0f}/s)" if backlog > 0 and took > 0 else "")
              + ("" if result["complete"] else f"  INCOMPLETE ({count}/{want})"))
        if backlog > 50 and took > 0.5:
            per = cores["server"] * result["waited"] / max(result["drained"], 1)
            print(f"    while draining: {cores_line(cores)}; "
                  f"server CPU {per * 1000:.2f} ms per delivery")
        return result

    # -- sending ----------------------------------------------------------------------------

    async def send(self, wa_id: str, lead_no: int, step: int) -> bool:
        assert self.pool is not None and self.hooks is not None
        self.run.sent[(wa_id, step)] = time.monotonic()
        try:
            status, body = await self.pool.request(self.hooks.request(wa_id, lead_no, step))
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            self.run.errors[type(exc).__name__] += 1
            return False
        if status != 200:
            self.run.errors[f"HTTP {status}: {body[:120].decode(errors='replace')}"] += 1
            return False
        self.run.steps[wa_id] = step + 1
        return True

    async def closed_loop(self, leads: list[tuple[str, int, int]], concurrency: int,
                          max_seconds: float) -> tuple[list[float], float, int]:
        """Each worker walks one lead at a time; returns latencies, seconds, ok count."""
        latencies: list[float] = []
        todo = iter(leads)
        deadline = time.monotonic() + max_seconds
        ok = 0

        async def worker() -> None:
            nonlocal ok
            for wa_id, lead_no, steps in todo:
                for step in range(steps):
                    if time.monotonic() > deadline:
                        return
                    started = time.monotonic()
                    if await self.send(wa_id, lead_no, step):
                        latencies.append(time.monotonic() - started)
                        ok += 1
                    else:
                        break  # the lead's conversation is off-script now

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, time.monotonic() - started, ok

    async def measured(self, coro: Any) -> tuple[Any, dict[str, float], float]:
        before_hist = await self.server_histogram()
        before = await self.snap()
        result = await coro
        after = await self.snap()
        after_hist = await self.server_histogram()
        n = after_hist[1] - before_hist[1]
        mean = (after_hist[0] - before_hist[0]) / n if n else math.nan
        return result, Cpu.cores(before, after), mean

    def lead_ids(self, phase: int, count: int, steps: list[int]) -> list[tuple[str, int, int]]:
        return [(f"44{phase}{self.run_id_num:03d}{i:06d}", i, steps[i]) for i in range(count)]

    async def phase_a(self) -> PhaseResult:
        args = self.args
        leads = args.leads or math.ceil(args.messages / STEPS)
        total = min(args.messages, leads * STEPS)
        base, extra = divmod(total, leads)
        steps = [min(STEPS, base + (1 if i < extra else 0)) for i in range(leads)]
        print(f"\n(a) max throughput: {sum(steps)} messages from {leads} leads, "
              f"{args.concurrency} leads at a time (closed loop)")
        stop = asyncio.Event()
        stats_before = await self.db_stats()
        watcher = asyncio.create_task(self.watch_connections(stop))
        (lat, secs, ok), cores, server_mean = await self.measured(
            self.closed_loop(self.lead_ids(2, leads, steps), args.concurrency,
                             PHASE_A_MAX_SECONDS))
        stop.set()
        await watcher
        stats = [x - y for x, y in zip(await self.db_stats(), stats_before, strict=True)]
        r = PhaseResult(ok, secs, lat, cores, server_mean)
        print(f"  {ok} messages committed in {secs:.2f} s = {ok / secs:,.0f} messages/s; "
              f"latency p50 {ms(pct(lat, 50))}, p99 {ms(pct(lat, 99))}, max {ms(pct(lat, 100))}")
        print(f"  mean time inside the webhook handler (server's histogram) {ms(server_mean)}; "
              f"peak server DB connections {self.peak_server_connections} "
              f"(incl. the LISTEN connection), {stats[0]} new sessions, {stats[1]} commits, "
              f"{stats[2]} rollbacks")
        print("  " + cores_line(cores))
        if ok:
            print(f"  CPU per message: server {cores['server'] * secs / ok * 1000:.2f} ms "
                  f"(incl. the relay sending its replies meanwhile), PostgreSQL "
                  f"{cores['backends'] * secs / ok * 1000:.2f} ms")
        return r

    async def phase_b(self) -> PhaseResult:
        rate, duration = self.args.rate, self.args.duration
        total = round(rate * duration)
        leads = math.ceil(total / STEPS)
        print(f"\n(b) fixed rate: {rate:g} messages/s for {duration:g} s = {total} messages "
              f"from {leads} leads, open loop (each lead sends every {leads / rate:.2f} s)")
        latencies: list[float] = []
        lags: list[float] = []  # the generator's own delay, for sends whose lead was free
        late = 0  # sends held back because the lead's previous message was not answered yet
        ok = 0
        t0 = time.monotonic() + 0.2
        last_ack = t0

        async def lead(j: int) -> None:
            nonlocal ok, last_ack, late
            wa_id = f"443{self.run_id_num:03d}{j:06d}"
            for step in range(STEPS):
                k = step * leads + j
                if k >= total:
                    return
                scheduled = t0 + k / rate
                delay = scheduled - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                    lags.append(time.monotonic() - scheduled)
                else:
                    late += 1
                if not await self.send(wa_id, j, step):
                    return
                now = time.monotonic()
                latencies.append(now - scheduled)
                last_ack = max(last_ack, now)
                ok += 1

        async def all_leads() -> None:
            tasks = [asyncio.create_task(lead(j)) for j in range(leads)]
            _, pending = await asyncio.wait(tasks, timeout=duration + 60)
            for task in pending:
                task.cancel()
            if pending:
                self.run.errors["phase (b) cut off after duration + 60 s"] += len(pending)

        _, cores, server_mean = await self.measured(all_leads())
        seconds = max(last_ack - t0, 1e-9)
        r = PhaseResult(ok, seconds, latencies, cores, server_mean,
                        {"send_lag_p99": pct(lags, 99), "target": total, "late": late})
        print(f"  {ok}/{total} committed in {seconds:.2f} s = {ok / seconds:,.0f} messages/s; "
              f"latency from scheduled send p50 {ms(pct(latencies, 50))}, "
              f"p95 {ms(pct(latencies, 95))}, p99 {ms(pct(latencies, 99))}, "
              f"max {ms(pct(latencies, 100))}")
        print(f"  {late} sends held back past their slot by the lead's unanswered previous "
              f"message; generator's own send lag p99 {ms(r.extra['send_lag_p99'])} (both included "
              f"above); mean time inside the handler {ms(server_mean)}")
        print("  " + cores_line(cores))
        return r

    # -- relay figures ----------------------------------------------------------------------

    async def relay_figures(self, expected: Expected, phase_b_leads: set[str]) -> dict[str, Any]:
        _, body = await http_get(self.fake_port, "/__stats")
        stats = json.loads(body)
        deliveries = [(t, to) for t, to in stats["deliveries"]]
        times = sorted(t for t, _ in deliveries)
        by_to: defaultdict[str, list[float]] = defaultdict(list)
        for t, to in deliveries:
            by_to[to].append(t)
        missing = extra = wrong_leads = 0
        for wa_id, steps in self.run.steps.items():
            want = expected.client_after(steps)
            got = len(by_to.get(wa_id, ()))
            if got != want:
                wrong_leads += 1
                missing += max(0, want - got)
                extra += max(0, got - want)
        want_artist = sum(expected.artist_after(n) for n in self.run.steps.values())
        got_artist = len(by_to.get(expected.artist_number, ()))
        missing += max(0, want_artist - got_artist)
        extra += max(0, got_artist - want_artist)
        unknown = sum(len(v) for k, v in by_to.items()
                      if k not in self.run.steps and k != expected.artist_number)
        # end-to-end during (b): client message sent -> its last reply arrives at the fake
        cumulative = [expected.client_after(n) for n in range(STEPS + 1)]
        lags = []
        for wa_id in phase_b_leads:
            arrivals = sorted(by_to.get(wa_id, ()))
            for step in range(self.run.steps.get(wa_id, 0)):
                index = cumulative[step + 1] - 1
                if expected.client[step] and index < len(arrivals):
                    lags.append(arrivals[index] - self.run.sent[(wa_id, step)])
        span = times[-1] - times[0] if len(times) > 1 else math.nan
        return {
            "total": len(times), "want": self.expected_total(expected),
            "busiest": busiest(times), "overall": len(times) / span if span else math.nan,
            "span": span, "missing": missing, "extra": extra, "wrong_leads": wrong_leads,
            "unknown": unknown, "bad": stats["bad_count"], "bad_examples": stats["bad"],
            "lag_p50": pct(lags, 50), "lag_p99": pct(lags, 99),
        }

    async def outbox_states(self) -> dict[str, int]:
        import asyncpg

        conn = await asyncpg.connect(DB_URL.format(db=self.db).replace("+asyncpg", ""))
        try:
            rows = await conn.fetch("SELECT state, count(*) AS n FROM outbox GROUP BY state")
            lag = await conn.fetch(
                "SELECT audience, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) "
                "AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY s) AS p99, max(s) AS max "
                "FROM (SELECT audience, extract(epoch FROM sent_at - created_at) AS s FROM outbox"
                " WHERE sent_at IS NOT NULL) t GROUP BY audience ORDER BY audience DESC")
        finally:
            await conn.close()
        for row in lag:
            print(f"  time in the outbox (created -> sent), {row['audience']}: {row['n']} msgs, "
                  f"p50 {ms(float(row['p50']))}, p99 {ms(float(row['p99']))}, "
                  f"max {ms(float(row['max']))}")
        return {row["state"]: row["n"] for row in rows}

    # -- baseline -----------------------------------------------------------------------------

    async def baseline(self, concurrency: int, seconds: float, notify: bool,
                       snapshot: str) -> tuple[float, int, dict[str, float]]:
        """The bare inbound transaction through raw asyncpg; returns (tx/s, count, cores)."""
        import asyncpg

        dsn = DB_URL.format(db=self.db).replace("+asyncpg", "")
        pool = await asyncpg.create_pool(dsn, min_size=concurrency, max_size=concurrency)
        tag = "n" if notify else "p"
        done = 0
        payload = json.dumps({"lead_id": "x", "studio": "baseline", "to": "x", "audience": "client",
                              "purpose": "ask_question", "intent": {"text": "Where on your body "
                              "would you like it?"}})

        async def worker(w: int) -> None:
            nonlocal done
            n = 0
            async with pool.acquire() as conn:
                while time.monotonic() < deadline:
                    contact = f"bl{tag}{w:03d}-{n % 20}"
                    now = datetime.now(UTC)
                    async with conn.transaction():
                        await conn.fetchval(
                            "INSERT INTO processed (key, at) VALUES ($1, $2) "
                            "ON CONFLICT (key) DO NOTHING RETURNING key",
                            f"baseline:{self.run_id}:{tag}:{w}:{n}", now)
                        row = await conn.fetchrow(
                            "SELECT id, version, snapshot FROM leads "
                            "WHERE studio = 'baseline' AND contact = $1 FOR UPDATE", contact)
                        if row is None:
                            await conn.execute(
                                "INSERT INTO leads (id, studio, contact, status, step, created_at,"
                                " updated_at, version, snapshot) VALUES ($1, 'baseline', $2, "
                                "'NEW', 0, $3, $3, 0, $4::jsonb) "
                                "ON CONFLICT (studio, contact) DO NOTHING",
                                f"bl-{tag}-{contact}", contact, now, snapshot)
                            row = await conn.fetchrow(
                                "SELECT id, version, snapshot FROM leads "
                                "WHERE studio = 'baseline' AND contact = $1 FOR UPDATE", contact)
                        lead_id = row["id"]
                        await conn.execute(
                            "UPDATE leads SET version = version + 1, status = 'QUALIFYING', "
                            "step = $2, updated_at = $3, last_client_message_at = $3, "
                            "snapshot = $4::jsonb WHERE id = $1", lead_id, n % 12, now, snapshot)
                        await conn.execute(
                            "INSERT INTO answers (lead_id, key, text, message_id, at, value, media)"
                            " VALUES ($1, 'size', '10x12cm', $2, $3, $4::jsonb, '[]'::jsonb)",
                            lead_id, f"m{n}", now, '{"width_mm": 100, "height_mm": 120}')
                        await conn.execute(
                            "INSERT INTO messages (lead_id, direction, text, at, message_id, kind)"
                            " VALUES ($1, 'in', '10x12cm', $2, $3, 'text')", lead_id, now, f"m{n}")
                        await conn.fetchval(
                            "INSERT INTO outbox (lead_id, studio, recipient, audience, purpose, "
                            "payload, state, attempts, created_at) VALUES ($1, 'baseline', $2, "
                            "'client', 'ask_question', $3::jsonb, 'baseline', 0, $4) RETURNING id",
                            lead_id, contact, payload, now)
                        if notify:
                            await conn.execute("NOTIFY inkbook_bench_baseline")
                    n += 1
                    done += 1

        try:
            before = await self.snap()
            deadline = time.monotonic() + seconds
            started = time.monotonic()
            await asyncio.gather(*(worker(w) for w in range(concurrency)))
            elapsed = time.monotonic() - started
            cores = Cpu.cores(before, await self.snap())
        finally:
            await pool.close()
        return done / elapsed, done, cores

    # -- the whole run ------------------------------------------------------------------------

    async def main(self) -> list[tuple[str, str, str, str]]:
        args = self.args
        self.run_id_num = int(self.run_id, 16) % 1000
        expected = expected_replies()
        from adapters.meta import sign

        probe = Webhooks("x", self.run_id).request("447000000001", 0, 1)
        head, body = probe.split(b"\r\n\r\n", 1)
        if f"X-Hub-Signature-256: {sign(APP_SECRET, body)}".encode() not in head:
            raise SystemExit("the generator's signature differs from adapters.meta.sign")
        print(f"source: {source_version()}")
        print(f"expected replies per lead walking all {STEPS} steps: "
              f"{expected.client_after(STEPS)} to the client, "
              f"{expected.artist_after(STEPS)} to the artist")
        snapshot = await self.sample_snapshot()

        await self.create_db()
        await self.migrate()
        await self.start_fake()
        await self.start_server()
        self.pool = Pool("127.0.0.1", self.port, max(args.concurrency, 256))
        self.hooks = Webhooks(f"127.0.0.1:{self.port}", self.run_id)

        warm = min(args.concurrency, 16)
        print(f"\nwarm-up: {warm} leads x {STEPS} messages (not measured)")
        await self.closed_loop(self.lead_ids(1, warm, [STEPS] * warm), warm, 30)
        await self.drain(expected, "warm-up")

        a = await self.phase_a()
        drain_a = await self.drain(expected, "(a)")
        b = await self.phase_b()
        drain_b = await self.drain(expected, "(b)")
        phase_b_leads = {w for w in self.run.steps if w.startswith("443")}
        relay = await self.relay_figures(expected, phase_b_leads)
        states = await self.outbox_states()

        print(f"\n(c) relay: {relay['total']} deliveries (expected {relay['want']}); "
              f"busiest 1 s window {relay['busiest']:,}; overall {relay['overall']:,.0f}/s "
              f"over {relay['span']:.1f} s from first to last delivery")
        print(f"  missing {relay['missing']}, extra {relay['extra']} "
              f"({relay['wrong_leads']} leads off), to unknown numbers {relay['unknown']}, "
              f"bad sender/token {relay['bad']}")
        print(f"  client message -> its reply at the fake, during (b): "
              f"p50 {ms(relay['lag_p50'])}, p99 {ms(relay['lag_p99'])}")
        print(f"  outbox rows by state: {states}")
        print("  (every artist notification goes to one number: the relay sends one message per "
              "recipient per pass, in order)")

        await self.pool.close()
        await self.stop_children()
        self.cpu.server_pid = self.cpu.fake_pid = 0
        print(f"\nbaseline: the bare inbound transaction through raw asyncpg, "
              f"{args.concurrency} connections, {args.baseline_seconds:g} s each (server stopped)")
        base, base_n, base_cores = await self.baseline(
            args.concurrency, args.baseline_seconds, False, snapshot)
        print(f"  without NOTIFY: {base:,.0f} transactions/s ({base_n}); {cores_line(base_cores)}")
        base_notify, n_notify, notify_cores = await self.baseline(
            args.concurrency, args.baseline_seconds, True, snapshot)
        print(f"  with NOTIFY (as every commit that queues replies does): "
              f"{base_notify:,.0f} transactions/s ({n_notify}); {cores_line(notify_cores)}")

        if self.run.errors:
            print(f"\nerrors: {dict(self.run.errors)}")
        a_rate = a.ok / a.seconds
        # the relay may fall behind during (a): count the time until its replies were out too
        end_to_end = a.ok / (a.seconds + (drain_a["waited"] if drain_a["backlog"] > 0 else 0.0))
        pending = states.get("pending", 0)
        complete = relay["missing"] == 0 and relay["extra"] == 0 and pending == 0
        rows = [
            ("(a) inbound messages/s decided+committed", f"{a_rate:,.0f}", ">= 1,000",
             _yes(a_rate >= 1000)),
            ("(a) webhook latency p50 / p99", f"{ms(pct(a.latencies, 50))} / "
             f"{ms(pct(a.latencies, 99))}", "-", "-"),
            ("(a) end to end: messages/s, replies sent", f"{end_to_end:,.0f}", "-", "-"),
            (f"(b) achieved rate at {args.rate:g}/s", f"{b.ok / b.seconds:,.0f}/s "
             f"({b.ok}/{b.extra['target']})", f"{args.rate:g}/s",
             _yes(b.ok == b.extra["target"] and b.ok / b.seconds >= 0.95 * args.rate)),
            ("(b) latency p50 / p95", f"{ms(pct(b.latencies, 50))} / {ms(pct(b.latencies, 95))}",
             "-", "-"),
            ("(b) latency p99", ms(pct(b.latencies, 99)), "<= 250 ms",
             _yes(pct(b.latencies, 99) <= 0.25)),
            ("(c) relay replies/s, busiest 1 s", f"{relay['busiest']:,}", ">= 1,000",
             _yes(relay["busiest"] >= 1000)),
            ("(c) relay replies/s, first..last", f"{relay['overall']:,.0f}", "-", "-"),
            ("(c) relay drain rate after (a)", _drain_rate(drain_a), "-", "-"),
            ("(c) every expected reply delivered", f"{relay['total']}/{relay['want']}, "
             f"missing {relay['missing']}, extra {relay['extra']}", "all", _yes(complete)),
            ("(c) outbox rows pending at the end", str(pending), "0", _yes(pending == 0)),
            ("baseline asyncpg tx/s (no NOTIFY)", f"{base:,.0f}", "reference", "-"),
            ("baseline asyncpg tx/s (+ NOTIFY)", f"{base_notify:,.0f}", "reference", "-"),
            ("(a) server share of baseline (+NOTIFY)", f"{a_rate / base_notify:.0%}", "-", "-"),
            ("(a) server process CPU", f"{a.cores['server']:.2f} cores", "-", "-"),
            ("(a) PostgreSQL CPU (bench DB backends)", f"{a.cores['backends']:.2f} cores", "-",
             "-"),
            ("(a) generator + fake CPU",
             f"{a.cores['generator']:.2f} + {a.cores['fake']:.2f} cores", "-", "-"),
        ]
        del drain_b
        return rows

    async def sample_snapshot(self) -> str:
        """A realistic lead snapshot (JSON) for the baseline: a lead halfway through."""
        import msgspec

        from core.domain.lead import new_lead

        lead = new_lead("x" * 32, "demo", "447000000000", datetime.now(UTC))
        data = msgspec.to_builtins(lead)
        data["answers"] = {k: {"key": k, "text": "10x12cm", "message_id": "wamid." + "x" * 40,
                               "at": datetime.now(UTC).isoformat(), "value": None, "media": []}
                           for k in ("idea", "placement", "size", "style", "complexity")}
        data["recent"] = ["left forearm", "10x12cm", "fine line", "2", "no"]
        return json.dumps(data)


def source_version() -> str:
    """HEAD and whether src/ has uncommitted changes: figures belong to the tree measured."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=root,
                               text=True, capture_output=True, timeout=10).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"HEAD {head or '?'}" + (f" + uncommitted changes in {len(dirty)} file(s) under src/"
                                    if dirty else ", src/ clean")


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _drain_rate(drain: dict[str, Any]) -> str:
    if drain["backlog"] <= 0 or not drain["seconds"]:
        return "no backlog (relay kept up)"
    return f"{drain['drained'] / drain['seconds']:,.0f}/s ({drain['backlog']} queued)"


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in [("metric", "value", "target", "met?"), *rows])
              for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print("\n" + line.format("metric", "value", "target", "met?"))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="phase (a) messages")
    parser.add_argument("--leads", type=int, default=0,
                        help=f"phase (a) leads (default: messages / {STEPS}, whole conversations)")
    parser.add_argument("--rate", type=float, default=500.0, help="phase (b) messages/s")
    parser.add_argument("--duration", type=float, default=10.0, help="phase (b) seconds")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="phase (a) leads in flight; baseline connections")
    parser.add_argument("--baseline-seconds", type=float, default=4.0)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--workers", type=int, default=1,
                        help="`inkbook serve --workers` (each worker runs a relay)")
    parser.add_argument("--split-relay", action="store_true",
                        help="serve --no-relay plus a separate `inkbook relay` process")
    parser.add_argument("--profile-server", metavar="REPORT",
                        help="run the server under benchmarks/sampler.py; report written on exit")
    parser.add_argument("--fake-graph", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.messages, args.rate, args.duration, args.concurrency) <= 0 or args.leads < 0:
        parser.error("--messages, --rate, --duration and --concurrency must be positive")
    return args


def main() -> int:
    args = parse_args()
    if args.fake_graph:
        fake_graph_main()
        return 0
    bench = Bench(args)
    rows: list[tuple[str, str, str, str]] | None = None
    started = time.monotonic()

    async def body() -> None:
        nonlocal rows
        try:
            rows = await bench.main()
        finally:
            await bench.stop_children()
            if not args.keep_db:
                if bench.created:
                    with contextlib.suppress(Exception):
                        await bench.drop_db()
            elif bench.created:
                print(f"database {bench.db} kept (--keep-db)")

    try:
        asyncio.run(body())
    except KeyboardInterrupt:
        print("\ninterrupted")
    finally:
        for proc in (bench.server, bench.fake):  # only what this run started, by id
            if proc is not None and proc.returncode is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(proc.pid, signal.SIGKILL)
        if not args.keep_db and bench.created and not bench.dropped:
            with contextlib.suppress(Exception):  # a second try if the loop was interrupted
                asyncio.run(bench.drop_db())
    if rows is None:
        if (bench.tmp / "server.log").exists():
            print("server log tail:\n" + bench.server_log_tail())
        return 1
    print_table(rows)
    print(f"\ntotal wall time {time.monotonic() - started:.0f} s; "
          f"server log {bench.tmp}/server.log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
