"""Load test of ``inkbook serve`` on PostgreSQL: signed webhooks in, replies out to a fake Graph.

    .venv/bin/python benchmarks/load.py [--phases a,b,c,limit,memory] [--messages 5000]
        [--rate 500] [--duration 10] [--workers 2] [--memory-seconds 120] ...

One run, everything on 127.0.0.1, every phase bounded in count and time, the figures of
issue 12 and whether each target is met printed at the end:

1. a fresh database ``inkbook_bench_<random>`` (``inkbook migrate``), dropped at the end;
2. a fake Graph API (a separate process: a raw asyncio HTTP/1.1 responder) that
   answers ``POST /v25.0/<phone id>/messages`` and time-stamps every delivery on arrival;
3. leads of the demo studio walking its whole question sequence, each message a
   signed webhook, each lead's next message sent only after the previous one's 200;
4. the phases (each optional, ``--phases``), each on its own ``inkbook`` processes:
   (a) max throughput, closed loop, ``--concurrency`` leads at a time;
   (b) open loop at ``--rate`` messages/s for ``--duration`` s, latency measured from
       the *scheduled* send time (no coordinated omission);
   memory: open loop at ``--memory-rate`` for ``--memory-seconds``, server RSS sampled;
   (c) relay drain: a backlog built with ``serve --no-relay``, then ``inkbook relay``
       started and the drain timed at the fake from its first to its last delivery;
   limit: ``serve --workers 2`` plus ``inkbook relay`` at ``INKBOOK_MESSAGES_PER_SECOND=80``,
       the most messages from one sending number in any 1-s window at the fake;
5. correctness over the whole run: every expected reply delivered exactly once, per
   recipient, nothing pending in the outbox (exit status 1 otherwise);
6. baseline (with (a)): the bare inbound transaction through raw asyncpg, same
   concurrency, with and without the ``NOTIFY`` the service adds to each commit, run
   right after (a) (its server and relay idle: the reference of (a)'s share, measured
   while the machine is as fast as it was for (a)) and, when other phases ran, again
   at the end (printed as the machine's drift only). It deletes its rows after each run.

The HTTP client is raw asyncio streams over keep-alive connections (httpx costs
several times more CPU per request, and the generator shares the 2 cores with the
server and PostgreSQL). CPU and memory per process come from /proc (Linux only).
Run it as a script (``benchmarks/`` holds its modules: load_script, load_net,
load_procs, load_baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from load_baseline import baseline, sample_snapshot
from load_net import Pool, fake_graph_main, http_get
from load_procs import (
    Cpu,
    CpuSnapshot,
    busiest,
    cores_line,
    describe,
    mb,
    median,
    ms,
    pct,
    rss_bytes,
    whole_windows,
)
from load_script import (
    ADMIN_DSN,
    APP_SECRET,
    DB_URL,
    GRAPH_VERSION,
    STEPS,
    Expected,
    Webhooks,
    expected_replies,
)

PHASES = ("a", "b", "c", "limit", "memory")
PHASE_A_MAX_SECONDS = 90.0
FILL_MAX_SECONDS = 120.0
DRAIN_TIMEOUT = 60.0
DRAIN_STALL = 10.0  # give up draining when nothing arrived for this long
RETRIES = 3  # a 503 or an unanswered webhook is sent again, as Meta does...
RETRY_DELAY = 0.5  # ...after 0.5, 1 and 2 s (Meta's own backoff is longer, its load spread)
MAX_SETTLE = 90.0  # how long past a drain's timeout rows leased by a failed pass are awaited
# Two processes on two cores: `serve --no-relay` (inbound) and one `inkbook relay`
# (outbound). Two workers each with a relay inside did worse (issue 12: 361 against 653
# messages/s): each worker's group commits gather half the batch, and two relays compete
# for the same recipients' chains. More processes than cores only add context switches,
# connections and memory.
DEFAULT_WORKERS = 1
UNLIMITED = "100000"  # INKBOOK_MESSAGES_PER_SECOND where the per-number limit must not cap
# lead numbers: 44 <phase digit> <run number> <lead>; the digit tells the phases apart
WARM, PHASE_A, PHASE_B, MEMORY, PHASE_C, LIMIT = 1, 2, 3, 4, 5, 6

Row = tuple[str, str, str, str]


@dataclass
class Run:
    """Everything the generator observed."""

    sent: dict[tuple[str, int], float] = field(default_factory=dict)  # (wa_id, step) -> t
    steps: dict[str, int] = field(default_factory=dict)  # wa_id -> steps acknowledged
    # leads whose last message got no answer (timeout, connection lost, cut off): the
    # server may or may not have committed it, so either count of replies is right
    uncertain: set[str] = field(default_factory=set)
    errors: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class PhaseResult:
    ok: int
    seconds: float
    latencies: list[float]
    cores: dict[str, float]
    server_mean: float  # mean handler time measured inside the server (its histogram)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class OpenLoop:
    ok: int
    total: int
    leads: int
    seconds: float  # first scheduled send to the last 200
    latencies: list[float]  # from the scheduled send
    lags: list[float]  # the generator's own delay, for sends whose lead was free
    late: int  # sends held back because the lead's previous message was not answered yet


@dataclass
class Stack:
    """One set of ``inkbook`` processes: ``serve`` and any separate ``inkbook relay``."""

    name: str
    workers: int
    port: int = 0
    server: asyncio.subprocess.Process | None = None
    relays: list[asyncio.subprocess.Process] = field(default_factory=list)
    started: float = 0.0  # monotonic, before the processes were spawned
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def processes(self) -> list[asyncio.subprocess.Process]:
        return [p for p in (self.server, *self.relays) if p is not None]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]


# -- the benchmark ----------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.phases = set(args.phases)
        self.run_id = secrets.token_hex(3)
        self.run_id_num = int(self.run_id, 16) % 1000
        self.db = f"inkbook_bench_{self.run_id}"
        self.cpu = Cpu()
        self.run = Run()
        self.tmp = Path(tempfile.mkdtemp(prefix="inkbook_bench_"))
        self.fake: asyncio.subprocess.Process | None = None
        self.stack: Stack | None = None
        self.spawned: list[asyncio.subprocess.Process] = []  # every child, to clean up by id
        self.created = self.dropped = False
        self.fake_port = 0
        self.pool: Pool | None = None
        self.hooks: Webhooks | None = None
        self.peak_server_connections = 0
        self.label = "setup"  # the phase running, for the error counts

    # -- setup --------------------------------------------------------------------------

    def env(self, per_second: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INKBOOK_")}
        env.update({
            "INKBOOK_DATABASE_URL": DB_URL.format(db=self.db),
            "INKBOOK_MESSENGER": "meta",
            "INKBOOK_META_APP_SECRET": APP_SECRET,
            "INKBOOK_META_VERIFY_TOKEN": "bench",
            "INKBOOK_META_ACCESS_TOKEN": "bench",
            "INKBOOK_META_API_BASE": f"http://127.0.0.1:{self.fake_port}/{GRAPH_VERSION}",
            "INKBOOK_MESSAGES_PER_SECOND": per_second,
            "INKBOOK_LOG_LEVEL": "WARNING",
            "INKBOOK_SECRET_KEY": "bench-secret-key-" + self.run_id,
        })
        env.update(self.args.set)  # --set KEY=VALUE: settings to compare (last wins)
        return env

    async def admin(self, query: str, *params: Any) -> Any:
        import asyncpg

        conn = await asyncpg.connect(ADMIN_DSN)
        try:
            return await conn.fetch(query, *params)
        finally:
            await conn.close()

    async def bench_db(self, query: str, *params: Any) -> Any:
        import asyncpg

        conn = await asyncpg.connect(self.dsn)
        try:
            return await conn.fetch(query, *params)
        finally:
            await conn.close()

    @property
    def dsn(self) -> str:
        return DB_URL.format(db=self.db).replace("+asyncpg", "")

    async def create_db(self) -> None:
        await self.admin(f'CREATE DATABASE "{self.db}"')
        self.created = True
        print(f"database {self.db} created")

    async def drop_db(self) -> None:
        await self.admin(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        self.dropped = True
        print(f"database {self.db} dropped")

    def inkbook(self) -> str:
        exe = Path(sys.executable).with_name("inkbook")
        if not exe.exists():
            raise SystemExit(f"no `inkbook` next to {sys.executable}: run with .venv/bin/python")
        return str(exe)

    def command(self, profile: str | None) -> list[str]:
        if not profile:
            return [self.inkbook()]
        sampler = Path(__file__).with_name("sampler.py")
        return [sys.executable, str(sampler), str(Path(profile).resolve())]

    async def migrate(self) -> None:
        proc = await asyncio.create_subprocess_exec(
            self.inkbook(), "migrate", env=self.env(UNLIMITED), cwd=self.tmp,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"inkbook migrate failed:\n{out.decode()[-2000:]}")

    async def spawn(self, *command: str, **kwargs: Any) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(*command, start_new_session=True, **kwargs)
        self.spawned.append(proc)
        return proc

    async def start_fake(self) -> None:
        self.fake = await self.spawn(sys.executable, __file__, "--fake-graph",
                                     stdin=asyncio.subprocess.PIPE,
                                     stdout=asyncio.subprocess.PIPE)
        assert self.fake.stdout is not None
        line = await asyncio.wait_for(self.fake.stdout.readline(), 20)
        self.fake_port = int(line.split()[1])
        self.cpu.fake_pid = self.fake.pid
        print(f"fake Graph API on http://127.0.0.1:{self.fake_port}/{GRAPH_VERSION} "
              f"(pid {self.fake.pid})")

    def log(self, name: str) -> Any:
        return open(self.tmp / f"{name}.log", "ab")  # the child keeps it; closed with it

    async def start_stack(self, name: str, workers: int, relay: str, per_second: str,
                          profile: str | None = None) -> Stack:
        """``serve --workers N``; ``relay``: "in-process" (each worker runs one), "split"
        (``--no-relay`` plus one ``inkbook relay``) or "none" (``--no-relay``, started later
        with ``start_relay``)."""
        stack = Stack(name, workers, started=time.monotonic())
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            stack.port = s.getsockname()[1]
        serve = ["serve", "--port", str(stack.port), "--workers", str(workers)]
        if relay != "in-process":
            serve.append("--no-relay")
        stack.server = await self.spawn(
            *self.command(profile), *serve, env=self.env(per_second), cwd=self.tmp,
            stdout=self.log(f"server-{name}"), stderr=subprocess.STDOUT)
        self.stack = stack
        self.cpu.server_pids = [stack.server.pid]
        described = (" (a relay in each worker)" if relay == "in-process" and workers > 1
                     else " (relay in process)" if relay == "in-process" else " --no-relay")
        print(f"inkbook serve --workers {workers}{described} on http://127.0.0.1:{stack.port} "
              f"(pid {stack.server.pid}); INKBOOK_MESSAGES_PER_SECOND={per_second}"
              + (" (the per-number limit does not cap this run)" if per_second == UNLIMITED
                 else ""))
        if relay == "split":
            await self.start_relay(stack, per_second,
                                   None if "c" in self.phases else self.args.profile_relay)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if stack.server.returncode is not None:
                raise SystemExit(f"inkbook serve exited ({stack.server.returncode}):\n"
                                 + self.log_tail(f"server-{name}"))
            with contextlib.suppress(OSError, asyncio.TimeoutError, ValueError,
                                     asyncio.IncompleteReadError):
                status, _ = await http_get(stack.port, "/readyz")
                if status == 200:
                    break
            await asyncio.sleep(0.2)
        else:
            raise SystemExit("inkbook serve not ready after 60 s:\n"
                             + self.log_tail(f"server-{name}"))
        self.pool = Pool("127.0.0.1", stack.port, max(self.args.concurrency, 256))
        self.hooks = Webhooks(f"127.0.0.1:{stack.port}", self.run_id)
        return stack

    async def start_relay(self, stack: Stack, per_second: str,
                          profile: str | None = None) -> asyncio.subprocess.Process:
        name = f"relay-{stack.name}-{len(stack.relays) + 1}"
        relay = await self.spawn(*self.command(profile), "relay", env=self.env(per_second),
                                 cwd=self.tmp, stdout=self.log(name), stderr=subprocess.STDOUT)
        stack.relays.append(relay)
        self.cpu.relay_pids = [r.pid for r in stack.relays]
        print(f"inkbook relay in its own process (pid {relay.pid}); "
              f"INKBOOK_MESSAGES_PER_SECOND={per_second}")
        return relay

    async def stop_stack(self) -> None:
        stack, self.stack = self.stack, None
        if self.pool is not None:
            await self.pool.close()
            self.pool = None
        if stack is not None:
            for proc in stack.processes:
                await self.stop(proc)
        self.cpu.server_pids, self.cpu.relay_pids = [], []

    @staticmethod
    async def stop(proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # its own session: its workers too
                await proc.wait()

    def log_tail(self, name: str, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return (self.tmp / f"{name}.log").read_text(errors="replace")[-chars:]
        return ""

    # -- observation ----------------------------------------------------------------------

    async def snap(self) -> CpuSnapshot:
        pids = []
        if self.created and not self.dropped:
            pids = [r["pid"] for r in await self.admin(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1", self.db)]
        return self.cpu.snap(pids)

    async def db_stats(self) -> tuple[int, int, int]:
        """(sessions, commits, rollbacks) of the bench database so far (pg_stat_database)."""
        rows = await self.admin("SELECT sessions, xact_commit, xact_rollback "
                                "FROM pg_stat_database WHERE datname = $1", self.db)
        return ((rows[0]["sessions"], rows[0]["xact_commit"], rows[0]["xact_rollback"])
                if rows else (0, 0, 0))

    async def server_histogram(self) -> tuple[float, float]:
        """(sum, count) of the server's own webhook latency histogram (one process's: with
        ``--workers`` > 1 each worker keeps its own, so it is not read)."""
        if self.stack is None or self.stack.workers > 1:
            return 0.0, 0.0
        status, body = await http_get(self.stack.port, "/metrics")
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

    async def deliveries(self, since: float = -math.inf) -> dict[str, Any]:
        """The fake's deliveries [(t, phone id, to)] since monotonic time ``since``."""
        path = "/__stats" if since == -math.inf else f"/__stats?since={since!r}"
        _, body = await http_get(self.fake_port, path)
        return json.loads(body)

    def expected_total(self, expected: Expected, phase: int | None = None) -> int:
        prefix = f"44{phase}" if phase is not None else ""
        return sum(expected.client_after(n) + expected.artist_after(n)
                   for w, n in self.run.steps.items() if w.startswith(prefix))

    async def wait_for(self, want: int, timeout: float) -> int:
        """Poll the fake until it got ``want`` deliveries in all, nothing arrived for
        DRAIN_STALL s, or ``timeout`` s passed; returns the count. Pending rows that a relay
        holds (a lease after a failed pass) or retries later (a back-off) are waited for,
        up to MAX_SETTLE s: the verdict is then what the relay did with them."""
        start = time.monotonic()
        count, _ = await self.deliveries_count()
        last_change, last_count = start, count
        deadline = start + timeout
        while not await self.drained(count, want) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            count, _ = await self.deliveries_count()
            now = time.monotonic()
            if count != last_count:
                last_change, last_count = now, count
            elif now - last_change > DRAIN_STALL or now >= deadline:
                held, horizon = await self.pending_horizon()
                if not held or horizon <= 0 or now + horizon > start + timeout + MAX_SETTLE:
                    break
                print(f"    {held} pending row(s) leased or backing off for up to {horizon:.0f} s"
                      f" more (delivered {count}/{want}): waiting for the relay to take them "
                      f"up again", flush=True)
                deadline = max(deadline, now + horizon + DRAIN_STALL)
                last_change = now + horizon
        return count

    async def drained(self, count: int, want: int) -> bool:
        """Every expected reply arrived and nothing is pending in the outbox (a count alone
        is fooled by duplicates, and by unanswered messages the server did commit)."""
        return count >= want and await self.pending() == 0

    async def pending(self) -> int:
        rows = await self.bench_db("SELECT count(*) AS n FROM outbox WHERE state = 'pending'")
        return int(rows[0]["n"])

    async def pending_horizon(self) -> tuple[int, float]:
        """(pending rows claimed or scheduled for later, seconds until the last is free)."""
        rows = await self.bench_db(
            "SELECT count(*) AS n, extract(epoch FROM max(greatest(claimed_until, "
            "next_attempt_at)) - now()) AS s FROM outbox WHERE state = 'pending' AND "
            "greatest(claimed_until, next_attempt_at) > now()")
        return rows[0]["n"], float(rows[0]["s"] or 0.0)

    async def drain(self, expected: Expected, label: str,
                    timeout: float = DRAIN_TIMEOUT) -> dict[str, Any]:
        """Wait until the fake got every expected reply (or nothing arrives for a while)."""
        before = await self.snap()
        start = time.monotonic()
        want = self.expected_total(expected)
        # what the outbox holds when inbound stopped (rows sent but not marked yet included)
        backlog = await self.pending()
        first, _ = await self.deliveries_count()
        count = await self.wait_for(want, timeout)
        _, last = await self.deliveries_count()
        took = (last - start) if last and count > first else 0.0
        cores = Cpu.cores(before, await self.snap())
        complete = await self.drained(count, want)
        result = {"backlog": backlog, "drained": count - first, "seconds": took,
                  "complete": complete, "waited": time.monotonic() - start}
        rate = result["drained"] / took if took > 0 else math.nan
        print(f"  relay after {label}: backlog {backlog} when inbound stopped, "
              f"{result['drained']} delivered in {took:.2f} s"
              + (f" ({rate:,.0f}/s)" if backlog > 0 and took > 0 else "")
              + ("" if complete else f"  INCOMPLETE ({count}/{want} in all, "
                 f"{await self.pending()} pending)"))
        if backlog > 50 and took > 0.5:
            per = cores["server"] * result["waited"] / max(result["drained"], 1)
            print(f"    while draining: {cores_line(cores)}; "
                  f"server CPU {per * 1000:.2f} ms per delivery")
        return result

    async def outbox_lag(self, since: datetime, until: datetime) -> None:
        """Time in the outbox (created -> sent) of the rows created in [since, until)."""
        rows = await self.bench_db(
            "SELECT audience, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) "
            "AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY s) AS p99, max(s) AS max "
            "FROM (SELECT audience, extract(epoch FROM sent_at - created_at) AS s FROM outbox"
            " WHERE sent_at IS NOT NULL AND created_at >= $1 AND created_at < $2) t "
            "GROUP BY audience ORDER BY audience DESC", since, until)
        for row in rows:
            print(f"  time in the outbox (created -> sent), {row['audience']}: {row['n']} msgs, "
                  f"p50 {ms(float(row['p50']))}, p99 {ms(float(row['p99']))}, "
                  f"max {ms(float(row['max']))}")

    # -- sending ----------------------------------------------------------------------------

    async def send(self, wa_id: str, lead_no: int, step: int) -> bool:
        """One client message, sent again like Meta does (same message id) after a 503 or a
        lost answer, RETRIES times at most; True once it got a 200 (committed, or a duplicate
        of a committed one). Retries are part of the message's latency."""
        assert self.pool is not None and self.hooks is not None
        self.run.sent[(wa_id, step)] = time.monotonic()
        for attempt in range(RETRIES + 1):
            if attempt:
                self.run.errors[f"{self.label}: (sent again)"] += 1
                await asyncio.sleep(RETRY_DELAY * 2 ** (attempt - 1))
            try:
                status, body = await self.pool.request(self.hooks.request(wa_id, lead_no, step))
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                self.run.errors[f"{self.label}: {type(exc).__name__}"] += 1
                self.run.uncertain.add(wa_id)  # committed or not: nobody said
                continue
            except asyncio.CancelledError:
                self.run.uncertain.add(wa_id)
                raise
            if status == 200:
                self.run.uncertain.discard(wa_id)
                self.run.steps[wa_id] = step + 1
                return True
            self.run.errors[f"{self.label}: HTTP {status}: "
                            f"{body[:120].decode(errors='replace')}"] += 1
            if status != 503:  # a 4xx is final; a 503 means "not recorded, send it again"
                return False
        return False

    def wa_id(self, phase: int, i: int) -> str:
        return f"44{phase}{self.run_id_num:03d}{i:06d}"

    def lead_ids(self, phase: int, count: int, steps: list[int]) -> list[tuple[str, int, int]]:
        return [(self.wa_id(phase, i), i, steps[i]) for i in range(count)]

    def split(self, messages: int, leads: int = 0) -> list[int]:
        """Steps per lead: ``messages`` spread over ``leads`` (whole conversations by default)."""
        leads = leads or math.ceil(messages / STEPS)
        total = min(messages, leads * STEPS)
        base, extra = divmod(total, leads)
        return [min(STEPS, base + (1 if i < extra else 0)) for i in range(leads)]

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

    async def open_loop(self, phase: int, rate: float, duration: float,
                        t0: float | None = None) -> OpenLoop:
        """Sends scheduled at ``rate`` for ``duration`` s from ``t0``; each lead sends its
        next message at its next slot, or as soon as its previous one was answered."""
        total = round(rate * duration)
        leads = math.ceil(total / STEPS)
        latencies: list[float] = []
        lags: list[float] = []
        late = ok = 0
        start = t0 if t0 is not None else time.monotonic() + 0.2
        last_ack = start

        async def lead(j: int) -> None:
            nonlocal ok, last_ack, late
            wa_id = self.wa_id(phase, j)
            for step in range(STEPS):
                k = step * leads + j
                if k >= total:
                    return
                scheduled = start + k / rate
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

        tasks = [asyncio.create_task(lead(j)) for j in range(leads)]
        _, pending = await asyncio.wait(tasks, timeout=duration + 60)
        for task in pending:
            task.cancel()
        if pending:
            self.run.errors[f"{self.label}: cut off after duration + 60 s"] += len(pending)
        return OpenLoop(ok, total, leads, max(last_ack - start, 1e-9), latencies, lags, late)

    async def measured(self, coro: Any) -> tuple[Any, dict[str, float], float]:
        before_hist = await self.server_histogram()
        before = await self.snap()
        result = await coro
        after = await self.snap()
        after_hist = await self.server_histogram()
        n = after_hist[1] - before_hist[1]
        mean = (after_hist[0] - before_hist[0]) / n if n > 0 else math.nan
        return result, Cpu.cores(before, after), mean

    def handler_mean(self, mean: float) -> str:
        if self.stack is not None and self.stack.workers > 1:
            return "n/a (each worker keeps its own histogram)"
        return ms(mean)

    # -- phases -------------------------------------------------------------------------------

    async def warm_up(self, expected: Expected) -> None:
        self.label = "warm-up"
        warm = min(self.args.concurrency, 16)
        print(f"\nwarm-up: {warm} leads x {STEPS} messages (not measured)")
        await self.closed_loop(self.lead_ids(WARM, warm, [STEPS] * warm), warm, 30)
        await self.drain(expected, "warm-up")

    async def phase_a(self) -> PhaseResult:
        self.label = "(a)"
        args = self.args
        steps = self.split(args.messages, args.leads)
        print(f"\n(a) max throughput: {sum(steps)} messages from {len(steps)} leads, "
              f"{args.concurrency} leads at a time (closed loop)")
        stop = asyncio.Event()
        stats_before = await self.db_stats()
        self.peak_server_connections = 0
        watcher = asyncio.create_task(self.watch_connections(stop))
        (lat, secs, ok), cores, server_mean = await self.measured(
            self.closed_loop(self.lead_ids(PHASE_A, len(steps), steps), args.concurrency,
                             PHASE_A_MAX_SECONDS))
        stop.set()
        await watcher
        stats = [x - y for x, y in zip(await self.db_stats(), stats_before, strict=True)]
        r = PhaseResult(ok, secs, lat, cores, server_mean)
        print(f"  {ok} messages committed in {secs:.2f} s = {ok / secs:,.0f} messages/s; "
              f"latency p50 {ms(pct(lat, 50))}, p99 {ms(pct(lat, 99))}, max {ms(pct(lat, 100))}")
        print(f"  mean time inside the webhook handler (server's histogram) "
              f"{self.handler_mean(server_mean)}; peak server DB connections "
              f"{self.peak_server_connections} (incl. the LISTEN connections), {stats[0]} new "
              f"sessions, {stats[1]} commits, {stats[2]} rollbacks")
        print("  " + cores_line(cores))
        if ok:
            print(f"  CPU per message: server {cores['server'] * secs / ok * 1000:.2f} ms "
                  f"(incl. the relay sending its replies meanwhile), PostgreSQL "
                  f"{cores['backends'] * secs / ok * 1000:.2f} ms")
        return r

    async def phase_b(self) -> PhaseResult:
        self.label = "(b)"
        rate, duration = self.args.rate, self.args.duration
        total = round(rate * duration)
        leads = math.ceil(total / STEPS)
        print(f"\n(b) fixed rate: {rate:g} messages/s for {duration:g} s = {total} messages "
              f"from {leads} leads, open loop (each lead sends every {leads / rate:.2f} s)")
        loop, cores, server_mean = await self.measured(self.open_loop(PHASE_B, rate, duration))
        r = PhaseResult(loop.ok, loop.seconds, loop.latencies, cores, server_mean,
                        {"send_lag_p99": pct(loop.lags, 99), "target": total, "late": loop.late})
        print(f"  {loop.ok}/{total} committed in {loop.seconds:.2f} s = "
              f"{loop.ok / loop.seconds:,.0f} messages/s; latency from scheduled send "
              f"p50 {ms(pct(loop.latencies, 50))}, p95 {ms(pct(loop.latencies, 95))}, "
              f"p99 {ms(pct(loop.latencies, 99))}, max {ms(pct(loop.latencies, 100))}")
        print(f"  {loop.late} sends held back past their slot by the lead's unanswered previous "
              f"message; generator's own send lag p99 {ms(r.extra['send_lag_p99'])} (both "
              f"included above); mean time inside the handler {self.handler_mean(server_mean)}")
        print("  " + cores_line(cores))
        return r

    async def phase_memory(self, expected: Expected) -> dict[str, Any]:
        """Open loop at --memory-rate; the server's RSS (every process: serve, its workers,
        a split relay) at the start, every --memory-every s, and at the end."""
        self.label = "memory"
        args = self.args
        rate, warm, secs, every = (args.memory_rate, args.memory_warmup, args.memory_seconds,
                                   args.memory_every)
        assert self.stack is not None
        print(f"\nmemory: {rate:g} messages/s open loop for {warm:g} s of warm-up + "
              f"{secs:g} s measured; server RSS (sum over {len(self.stack.pids)} started "
              f"process(es) and their children) every {every:g} s")
        print(f"  processes: {describe(self.stack.pids)}")
        t0 = time.monotonic() + 0.2
        marks = [0.0] + [warm + min(j * every, secs) for j in range(math.ceil(secs / every) + 1)]
        marks = sorted(set(marks))
        samples: list[tuple[float, int, int, int]] = []  # (offset, rss, processes, acked)
        pids = self.stack.pids

        async def sample() -> None:
            for offset in marks:
                delay = t0 + offset - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                rss, count = rss_bytes(pids)
                acked = sum(n for w, n in self.run.steps.items() if w.startswith(f"44{MEMORY}"))
                samples.append((offset, rss, count, acked))
                tag = (" start" if offset == warm else " end" if offset == warm + secs
                       else " (warm-up)" if offset < warm else "")
                print(f"  +{offset:5.0f} s  RSS {mb(rss):>10}  ({count} processes; "
                      f"{acked} messages answered so far){tag}", flush=True)

        sampler = asyncio.create_task(sample())
        loop, cores, _ = await self.measured(self.open_loop(MEMORY, rate, warm + secs, t0))
        await sampler
        print(f"  {loop.ok}/{loop.total} committed in {loop.seconds:.2f} s = "
              f"{loop.ok / loop.seconds:,.0f} messages/s; latency from scheduled send "
              f"p50 {ms(pct(loop.latencies, 50))}, p99 {ms(pct(loop.latencies, 99))}")
        print("  " + cores_line(cores))
        drain = await self.drain(expected, "memory")
        rss_after, _ = rss_bytes(pids)
        print(f"  RSS after the drain {mb(rss_after)}")
        start = next(s[1] for s in samples if s[0] == warm)
        end = next(s[1] for s in samples if s[0] == warm + secs)
        measured = [(s[0], s[1]) for s in samples if s[0] >= warm]
        slope = _slope(measured) * 60  # bytes per minute
        growth = end - start
        tolerance = args.memory_tolerance / 100
        print(f"  RSS start {mb(start)}, end {mb(end)}: growth {mb(growth)} "
              f"({growth / start:+.1%}); least-squares slope {mb(slope)}/min; flat means "
              f"end <= start + {args.memory_tolerance:g}%")
        return {"start": start, "end": end, "growth": growth,
                "flat": end <= start * (1 + tolerance), "rate": loop.ok / loop.seconds,
                "ok": loop.ok, "total": loop.total,
                "seconds": secs, "drain": drain}

    async def phase_c(self, expected: Expected) -> dict[str, Any]:
        """A backlog built with no relay running, then ``--drain-relays`` separate
        ``inkbook relay`` processes started; the drain timed at the fake."""
        self.label = "(c)"
        args = self.args
        steps = self.split(args.relay_messages)
        print(f"\n(c) relay drain: {sum(steps)} messages from {len(steps)} leads committed with "
              f"no relay running, then {args.drain_relays} `inkbook relay` started")
        await self.start_stack("c", args.workers, "none", UNLIMITED)
        _, fill_secs, ok = await self.closed_loop(
            self.lead_ids(PHASE_C, len(steps), steps), args.concurrency, FILL_MAX_SECONDS)
        want = self.expected_total(expected, PHASE_C)
        to_artist = sum(expected.artist_after(n) for w, n in self.run.steps.items()
                        if w.startswith(f"44{PHASE_C}"))
        pending = await self.pending()
        print(f"  backlog: {ok} messages committed in {fill_secs:.1f} s; outbox pending "
              f"{pending} (expected {want}: "
              f"{to_artist} of them artist notifications, all to one number)")
        before = await self.snap()
        spawned = time.monotonic()
        for i in range(args.drain_relays):
            await self.start_relay(self.stack_or_fail(), UNLIMITED,
                                   args.profile_relay if i == 0 else None)
        await self.wait_for(self.expected_total(expected), max(DRAIN_TIMEOUT, want / 100))
        cores = Cpu.cores(before, await self.snap())
        stats = await self.deliveries(spawned)
        times = sorted(d[0] for d in stats["deliveries"])
        artist = sorted(d[0] for d in stats["deliveries"] if d[2] == expected.artist_number)
        client = sorted(d[0] for d in stats["deliveries"] if d[2] != expected.artist_number)
        await self.stop_stack()
        if len(times) < 2:
            print(f"  {len(times)} deliveries: no drain to time")
            return {"sustained": math.nan, "delivered": len(times), "backlog": pending,
                    "median": math.nan}
        span = times[-1] - times[0]
        sustained = (len(times) - 1) / span if span > 0 else math.nan
        windows = whole_windows(times)
        print(f"  {len(times)} delivered (backlog {pending}); first delivery "
              f"{times[0] - spawned:.2f} s after the relay was spawned (start-up, not counted)")
        print(f"  sustained drain: {len(times) - 1} intervals over {span:.2f} s from the first "
              f"to the last delivery = {sustained:,.0f} replies/s")
        if windows:
            print(f"  whole 1-s windows from the first delivery ({len(windows)}): median "
                  f"{median(windows):,.0f}, slowest {min(windows):,}, busiest {max(windows):,}")
        if client and artist:
            print(f"  last client reply at +{client[-1] - times[0]:.2f} s, last artist "
                  f"notification at +{artist[-1] - times[0]:.2f} s ({len(artist)} to one number)")
        print("  while draining: " + cores_line(cores))
        if args.profile_relay:
            print(f"  relay profile written to {args.profile_relay}")
        return {"sustained": sustained, "delivered": len(times), "backlog": pending,
                "median": median(windows), "span": span}

    async def phase_limit(self, expected: Expected) -> dict[str, Any]:
        """``serve --workers 2`` (a relay in each worker) plus ``inkbook relay``, all at
        INKBOOK_MESSAGES_PER_SECOND=limit; the most sends from one number in any 1 s."""
        self.label = "limit"
        args = self.args
        limit = args.limit_per_second
        print(f"\nper-number limit (B-29): serve --workers 2 + inkbook relay at "
              f"INKBOOK_MESSAGES_PER_SECOND={limit:g}; {args.limit_rate:g} messages/s open loop "
              f"for {args.limit_duration:g} s")
        stack = await self.start_stack("limit", 2, "in-process", f"{limit:g}")
        await self.start_relay(stack, f"{limit:g}")
        since = time.monotonic()
        loop = await self.open_loop(LIMIT, args.limit_rate, args.limit_duration)
        queued = self.expected_total(expected, LIMIT)
        offered = queued / args.limit_duration  # what the load asks of one sending number
        print(f"  {loop.ok}/{loop.total} committed in {loop.seconds:.2f} s: {queued} replies "
              f"queued, {offered:,.0f}/s offered to one sending number over the "
              f"{args.limit_duration:g} s scheduled (the limit binds above {limit:g}/s)")
        drain = await self.drain(expected, "the limit phase",
                                 timeout=max(DRAIN_TIMEOUT, 3 * queued / limit))
        stats = await self.deliveries(since)
        await self.stop_stack()
        by_number: defaultdict[str, list[float]] = defaultdict(list)
        for t, phone_id, _ in stats["deliveries"]:
            by_number[phone_id].append(t)
        worst = 0
        for phone_id, times in sorted(by_number.items()):
            times.sort()
            most = busiest(times)
            worst = max(worst, most)
            span = times[-1] - times[0] if len(times) > 1 else math.nan
            windows = whole_windows(times)
            print(f"  sending number {phone_id}: {len(times)} deliveries over {span:.1f} s; most "
                  f"in any 1-s window [t, t+1) {most} (limit {limit:g}); whole 1-s windows: "
                  f"median {median(windows):,.0f}, busiest {max(windows, default=0)}")
        # The verdict needs the limit to have bound: more offered than allowed, and the
        # relays pushed up to it (at least 90% of it in some second). Relays that never got
        # near it (CPU-starved, slow) prove nothing about the limit.
        binds = worst > limit or (offered > limit and worst >= 0.9 * limit)
        if not binds:
            print(f"  the limit did not bind: the relays never reached 90% of {limit:g} in any "
                  f"second (offered {offered:,.0f}/s; backlog drained in "
                  f"{drain['seconds']:.1f} s): no verdict")
        return {"max": worst, "offered": offered, "binds": binds, "limit": limit}

    def stack_or_fail(self) -> Stack:
        if self.stack is None:
            raise SystemExit("no inkbook serve running")
        return self.stack

    async def baselines(self, snapshot: str, when: str) -> tuple[float, float]:
        """The bare inbound transaction through raw asyncpg, without and with NOTIFY."""
        args = self.args
        print(f"\nbaseline: the bare inbound transaction through raw asyncpg, "
              f"{args.concurrency} connections, {args.baseline_seconds:g} s each, {when}")
        base, base_n, base_cores = await baseline(
            self.dsn, self.run_id, args.concurrency, args.baseline_seconds, False, snapshot,
            self.snap)
        print(f"  without NOTIFY: {base:,.0f} transactions/s ({base_n}); "
              f"{cores_line(base_cores)}")
        base_notify, n_notify, notify_cores = await baseline(
            self.dsn, self.run_id, args.concurrency, args.baseline_seconds, True, snapshot,
            self.snap)
        print(f"  with NOTIFY (as every commit that queues replies does): "
              f"{base_notify:,.0f} transactions/s ({n_notify}); {cores_line(notify_cores)}")
        return base, base_notify

    # -- correctness --------------------------------------------------------------------------

    async def check(self, expected: Expected) -> dict[str, Any]:
        """Every lead's deliveries against what it should have got, per recipient."""
        stats = await self.deliveries()
        by_to: defaultdict[str, int] = defaultdict(int)
        for _, _, to in stats["deliveries"]:
            by_to[to] += 1
        missing = extra = wrong_leads = 0
        artist_lo = artist_hi = want_hi = 0
        unsure = self.run.uncertain
        for wa_id in self.run.steps.keys() | unsure:
            steps = self.run.steps.get(wa_id, 0)
            # an unanswered last message may have been committed: then one step more
            more = min(steps + 1, STEPS) if wa_id in unsure else steps
            lo, hi = expected.client_after(steps), expected.client_after(more)
            artist_lo += expected.artist_after(steps)
            artist_hi += expected.artist_after(more)
            want_hi += hi + expected.artist_after(more)
            got = by_to.get(wa_id, 0)
            if got not in (lo, hi):
                wrong_leads += 1
                missing += max(0, lo - got)
                extra += max(0, got - hi)
                if lo < got < hi:  # between the two: part of one step's replies lost
                    missing += hi - got
        got_artist = by_to.get(expected.artist_number, 0)
        missing += max(0, artist_lo - got_artist)
        extra += max(0, got_artist - artist_hi)
        unknown = sum(n for k, n in by_to.items()
                      if k not in self.run.steps and k not in unsure
                      and k != expected.artist_number)
        rows = await self.bench_db("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        states = {row["state"]: row["n"] for row in rows}
        rows = await self.bench_db(
            "SELECT recipient, count(*) AS n FROM outbox GROUP BY recipient")
        queued = {r["recipient"]: r["n"] for r in rows}
        resent = sum(max(0, n - queued.get(to, 0)) for to, n in by_to.items())
        never = sum(max(0, n - by_to.get(to, 0)) for to, n in queued.items())
        result = {"total": len(stats["deliveries"]), "want": self.expected_total(expected),
                  "missing": missing, "extra": extra, "wrong_leads": wrong_leads,
                  "unknown": unknown, "bad": stats["bad_count"], "states": states,
                  "pending": states.get("pending", 0), "resent": resent}
        result["ok"] = not (missing or extra or resent or unknown or result["bad"]
                            or result["pending"])
        print(f"\ncorrectness over the whole run: {result['total']} deliveries (expected "
              f"{result['want']}"
              + (f", up to {want_hi} if the {len(unsure)} unanswered messages were "
                 f"committed" if unsure else "")
              + f"); missing {missing}, extra {extra} ({wrong_leads} leads off), "
              f"to unknown numbers {unknown}, bad sender/token {result['bad']}"
              + (f" e.g. {stats['bad']}" if stats["bad"] else ""))
        print(f"  outbox rows by state: {states}")
        if result["pending"]:
            await self.explain_pending(by_to)
        print(f"  per recipient against the outbox: {result['resent']} deliveries beyond the "
              f"rows queued (sent twice: the relay), {never} rows never delivered"
              + ("; the rest of the difference is rows queued beyond (or short of) what the "
                 "answered messages should have queued (the inbound side)"
                 if extra or missing else ""))
        return result

    async def explain_pending(self, delivered: dict[str, int]) -> None:
        """Why rows are still pending: leased, backing off, their errors; and how many of
        them the fake already got (sent, then not marked: a re-send would double them)."""
        rows = await self.bench_db(
            "SELECT attempts, left(coalesce(last_error, ''), 80) AS error, "
            "count(*) FILTER (WHERE claimed_until > now()) AS leased, "
            "count(*) FILTER (WHERE next_attempt_at > now()) AS later, count(*) AS n "
            "FROM outbox WHERE state = 'pending' GROUP BY 1, 2 ORDER BY n DESC LIMIT 5")
        for row in rows:
            print(f"    pending: {row['n']} with {row['attempts']} attempt(s), "
                  f"{row['leased']} still leased, {row['later']} scheduled for later; "
                  f"last error {row['error'] or '-'}")
        per = await self.bench_db(
            "SELECT recipient, count(*) FILTER (WHERE state = 'sent') AS sent FROM outbox "
            "GROUP BY recipient HAVING count(*) FILTER (WHERE state = 'pending') > 0")
        unmarked = sum(max(0, delivered.get(r["recipient"], 0) - r["sent"]) for r in per)
        print(f"    of them already delivered to the fake but not marked sent: {unmarked}")

    def main_relay_figures(self, stats: dict[str, Any], expected: Expected) -> dict[str, Any]:
        """Busiest second and first..last of the deliveries while (a), (b), memory ran, and
        client message -> its reply at the fake during (b)."""
        deliveries = stats["deliveries"]
        times = sorted(t for t, _, _ in deliveries)
        by_to: defaultdict[str, list[float]] = defaultdict(list)
        for t, _, to in deliveries:
            by_to[to].append(t)
        cumulative = [expected.client_after(n) for n in range(STEPS + 1)]
        lags = []
        for wa_id, steps in self.run.steps.items():
            if not wa_id.startswith(f"44{PHASE_B}"):
                continue
            arrivals = sorted(by_to.get(wa_id, ()))
            for step in range(steps):
                index = cumulative[step + 1] - 1
                if expected.client[step] and index < len(arrivals):
                    lags.append(arrivals[index] - self.run.sent[(wa_id, step)])
        span = times[-1] - times[0] if len(times) > 1 else math.nan
        return {"total": len(times), "busiest": busiest(times),
                "overall": len(times) / span if span else math.nan, "span": span,
                "lag_p50": pct(lags, 50), "lag_p99": pct(lags, 99)}

    # -- the whole run ------------------------------------------------------------------------

    async def main(self) -> tuple[list[Row], bool]:
        args = self.args
        expected = expected_replies()
        from adapters.meta import sign

        probe = Webhooks("x", self.run_id).request("447000000001", 0, 1)
        head, body = probe.split(b"\r\n\r\n", 1)
        if f"X-Hub-Signature-256: {sign(APP_SECRET, body)}".encode() not in head:
            raise SystemExit("the generator's signature differs from adapters.meta.sign")
        print(f"source: {source_version()}")
        print(f"phases: {', '.join(p for p in PHASES if p in self.phases)}; "
              f"--workers {args.workers}"
              + (" (serve --no-relay + inkbook relay)" if args.split_relay
                 else " --relay-in-workers")
              + "".join(f" --set {key}={value}" for key, value in args.set))
        print(f"expected replies per lead walking all {STEPS} steps: "
              f"{expected.client_after(STEPS)} to the client, "
              f"{expected.artist_after(STEPS)} to the artist")
        snapshot = sample_snapshot()

        await self.create_db()
        await self.migrate()
        await self.start_fake()
        a = b = memory = c = limit = None
        base = base_notify = math.nan
        drain_a: dict[str, Any] = {}
        main_figures: dict[str, Any] = {}
        if self.phases & {"a", "b", "memory"}:
            stack = await self.start_stack(
                "main", args.workers, "split" if args.split_relay else "in-process", UNLIMITED,
                args.profile_server)
            await self.warm_up(expected)
            if "a" in self.phases:
                a = await self.phase_a()
                drain_a = await self.drain(expected, "(a)")
                if args.baseline_seconds > 0:
                    base, base_notify = await self.baselines(
                        snapshot, "right after (a), its server and relay idle (the reference "
                        "of (a)'s share: the machine's speed drifts minutes apart)")
            if "b" in self.phases:
                b_started = datetime.now(UTC)
                b = await self.phase_b()
                await self.drain(expected, "(b)")
                await self.outbox_lag(b_started, datetime.now(UTC))
            if "memory" in self.phases:
                memory = await self.phase_memory(expected)
            main_figures = self.main_relay_figures(await self.deliveries(stack.started),
                                                   expected)
            where = ("one separate `inkbook relay`" if args.split_relay
                     else "a relay in each serving process")
            print(f"\nrelay while (a), (b), memory ran ({where}): {main_figures['total']} "
                  f"deliveries; busiest 1-s window {main_figures['busiest']:,}; "
                  f"{main_figures['overall']:,.0f}/s over {main_figures['span']:.1f} s from "
                  f"first to last delivery (idle gaps between phases included)")
            if b is not None:
                print(f"  client message -> its reply at the fake, during (b): "
                      f"p50 {ms(main_figures['lag_p50'])}, p99 {ms(main_figures['lag_p99'])}")
            await self.stop_stack()
            if args.profile_server:
                print(f"server profile written to {args.profile_server}")
        if "c" in self.phases:
            c = await self.phase_c(expected)
        if "limit" in self.phases:
            limit = await self.phase_limit(expected)
        self.label = "check"
        check = await self.check(expected)

        end_base = end_notify = math.nan
        if a is not None and args.baseline_seconds > 0 and self.phases - {"a"}:
            end_base, end_notify = await self.baselines(
                snapshot, "at the end of the run, every inkbook process stopped (the machine's "
                "drift since (a): not the reference)")

        if self.run.errors:
            print(f"\nerrors: {dict(self.run.errors)}")
        rows: list[Row] = []
        if a is not None:
            a_rate = a.ok / a.seconds
            reference = max(base, base_notify)
            # the relay may fall behind during (a): count the time until its replies were out
            end_to_end = a.ok / (a.seconds + (drain_a["waited"] if drain_a["backlog"] > 0
                                              else 0.0))
            rows += [
                ("(a) inbound messages/s decided+committed", f"{a_rate:,.0f}", ">= 1,000",
                 _yes(a_rate >= 1000)),
                ("(a) share of the raw asyncpg baseline", _share(a_rate, reference),
                 ">= 50%", "-" if math.isnan(reference) else _yes(a_rate >= 0.5 * reference)),
            ]
            if not math.isnan(end_base):
                rows.append(("(a) share of the baseline at the end (drift)",
                             _share(a_rate, max(end_base, end_notify)), "-", "-"))
            rows += [
                ("(a) webhook latency p50 / p99", f"{ms(pct(a.latencies, 50))} / "
                 f"{ms(pct(a.latencies, 99))}", "-", "-"),
                ("(a) end to end: messages/s, replies sent", f"{end_to_end:,.0f}", "-", "-"),
                ("baseline asyncpg tx/s (no NOTIFY / +NOTIFY)",
                 f"{base:,.0f} / {base_notify:,.0f}" if not math.isnan(base) else "n/a (not run)",
                 "reference", "-"),
                ("(a) server process CPU", f"{a.cores['server']:.2f} cores", "-", "-"),
                ("(a) PostgreSQL CPU (bench DB backends)", f"{a.cores['backends']:.2f} cores",
                 "-", "-"),
                ("(a) generator + fake CPU",
                 f"{a.cores['generator']:.2f} + {a.cores['fake']:.2f} cores", "-", "-"),
            ]
        if b is not None:
            rows += [
                (f"(b) achieved rate at {args.rate:g}/s", f"{b.ok / b.seconds:,.0f}/s "
                 f"({b.ok}/{b.extra['target']})", f"{args.rate:g}/s",
                 _yes(b.ok == b.extra["target"] and b.ok / b.seconds >= 0.95 * args.rate)),
                ("(b) latency p50 / p95", f"{ms(pct(b.latencies, 50))} / "
                 f"{ms(pct(b.latencies, 95))}", "-", "-"),
                (f"(b) latency p99 at {args.rate:g}/s, from schedule", ms(pct(b.latencies, 99)),
                 "<= 250 ms", _yes(pct(b.latencies, 99) <= 0.25)),
            ]
        if main_figures:
            rows.append(("relay during (a)/(b): busiest 1 s window", f"{main_figures['busiest']:,}",
                         "-", "-"))
        if drain_a:
            rows.append(("relay during (a)/(b): drain after (a)", _drain_rate(drain_a), "-", "-"))
        if c is not None:
            rows += [
                ("(c) relay sustained drain, first..last", f"{_rate(c['sustained'])} "
                 f"({c['delivered']} of {c['backlog']} queued)", ">= 1,000/s",
                 _yes(c["sustained"] >= 1000)),
                ("(c) relay drain, median whole 1-s window", _rate(c["median"]), "-", "-"),
            ]
        if limit is not None:
            rows.append((f"per-number limit: most in any 1 s ({limit['limit']:g}/s)",
                         f"{limit['max']} (offered {limit['offered']:,.0f}/s)",
                         f"<= {limit['limit']:g}",
                         _yes(limit["max"] <= limit["limit"]) if limit["binds"]
                         else "n/a (did not bind)"))
        if memory is not None:
            rows += [
                (f"memory: server RSS start -> end ({memory['seconds']:g} s)",
                 f"{mb(memory['start'])} -> {mb(memory['end'])} "
                 f"({memory['growth'] / memory['start']:+.1%})",
                 f"<= +{args.memory_tolerance:g}%", _yes(memory["flat"])),
                (f"memory: achieved rate at {args.memory_rate:g}/s",
                 f"{memory['rate']:,.0f}/s ({memory['ok']}/{memory['total']})", "-", "-"),
            ]
        rows += [
            ("every expected reply delivered once", f"{check['total']}/{check['want']}, "
             f"missing {check['missing']}, extra {check['extra']}, sent twice "
             f"{check['resent']}", "all, once",
             _yes(not (check["missing"] or check["extra"] or check["resent"]
                       or check["unknown"] or check["bad"]))),
            ("outbox rows pending at the end", str(check["pending"]), "0",
             _yes(check["pending"] == 0)),
        ]
        return rows, check["ok"]


def _slope(points: list[tuple[float, int]]) -> float:
    """Least-squares slope (units per second) of (seconds, value) points."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    den = sum((p[0] - mx) ** 2 for p in points)
    return sum((p[0] - mx) * (p[1] - my) for p in points) / den if den else 0.0


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


def _rate(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.0f}/s"


def _share(rate: float, reference: float) -> str:
    if math.isnan(reference):
        return "n/a (no baseline run)"
    return f"{rate / reference:.0%} of {reference:,.0f}"


def _drain_rate(drain: dict[str, Any]) -> str:
    if drain.get("backlog", 0) <= 0 or not drain.get("seconds"):
        return "no backlog (relay kept up)"
    return f"{drain['drained'] / drain['seconds']:,.0f}/s ({drain['backlog']} queued)"


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in [("metric", "value", "target", "met?"), *rows])
              for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print("\n" + line.format("metric", "value", "target", "met?"))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row).rstrip())


def phases(value: str) -> list[str]:
    chosen = [p.strip() for p in value.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PHASES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown phase(s) {', '.join(unknown) or '(none)'}: choose from {','.join(PHASES)}")
    return chosen


def setting(value: str) -> tuple[str, str]:
    key, sep, setting_value = value.partition("=")
    if not sep or not key.startswith("INKBOOK_"):
        raise argparse.ArgumentTypeError(f"expected INKBOOK_NAME=VALUE, got {value!r}")
    return key, setting_value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--phases", type=phases, default=list(PHASES),
                        help=f"comma-separated, any of {','.join(PHASES)} (default: all)")
    parser.add_argument("--messages", type=int, default=5000, help="phase (a) messages")
    parser.add_argument("--leads", type=int, default=0,
                        help=f"phase (a) leads (default: messages / {STEPS}, whole conversations)")
    parser.add_argument("--rate", type=float, default=500.0, help="phase (b) messages/s")
    parser.add_argument("--duration", type=float, default=10.0, help="phase (b) seconds")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="phase (a) and the (c) fill: leads in flight; baseline connections")
    parser.add_argument("--baseline-seconds", type=float, default=4.0,
                        help="each baseline run, with (a) (0: no baseline)")
    parser.add_argument("--relay-messages", type=int, default=6500,
                        help="phase (c): inbound messages whose replies make the backlog")
    parser.add_argument("--drain-relays", type=int, default=1,
                        help="phase (c): `inkbook relay` processes started to drain it")
    parser.add_argument("--limit-per-second", type=float, default=80.0,
                        help="limit phase: INKBOOK_MESSAGES_PER_SECOND of its three relays")
    parser.add_argument("--limit-rate", type=float, default=150.0,
                        help="limit phase: inbound messages/s, open loop")
    parser.add_argument("--limit-duration", type=float, default=10.0,
                        help="limit phase: seconds of inbound load")
    parser.add_argument("--memory-rate", type=float, default=300.0,
                        help="memory phase: messages/s, open loop")
    parser.add_argument("--memory-seconds", type=float, default=120.0,
                        help="memory phase: seconds measured (after the warm-up)")
    parser.add_argument("--memory-warmup", type=float, default=10.0,
                        help="memory phase: seconds at the same rate before the start sample")
    parser.add_argument("--memory-every", type=float, default=10.0,
                        help="memory phase: seconds between RSS samples")
    parser.add_argument("--memory-tolerance", type=float, default=10.0,
                        help="memory phase: flat means end RSS <= start + this many %%")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--set", type=setting, action="append", default=[], metavar="KEY=VALUE",
                        help="an INKBOOK_* setting for every process the run starts (repeatable)")
    parser.add_argument("--workers", type=int, default=None,
                        help="`inkbook serve --workers` for (a), (b), memory and the (c) fill; "
                             "default 1 (the sampler of --profile-server sees one process)")
    parser.add_argument("--relay-in-workers", dest="split_relay", action="store_false",
                        help="(a), (b), memory: a relay inside each serving worker instead of "
                             "serve --no-relay plus one `inkbook relay` (the default)")
    parser.add_argument("--split-relay", dest="split_relay", action="store_true",
                        help=argparse.SUPPRESS)  # the default since issue 12's last round
    parser.add_argument("--profile-server", metavar="REPORT",
                        help="run the (a)/(b)/memory server under benchmarks/sampler.py; "
                             "report written on exit")
    parser.add_argument("--profile-relay", metavar="REPORT",
                        help="run phase (c)'s first `inkbook relay` under benchmarks/sampler.py "
                             "(without (c): the relay of (a), (b) and memory)")
    parser.add_argument("--fake-graph", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers is None:
        args.workers = 1 if args.profile_server else DEFAULT_WORKERS
    elif args.profile_server and args.workers > 1:
        parser.error("--profile-server samples one process: use it with --workers 1")
    if min(args.messages, args.rate, args.duration, args.concurrency, args.workers,
           args.relay_messages, args.drain_relays, args.limit_per_second, args.limit_rate,
           args.limit_duration, args.memory_rate, args.memory_seconds,
           args.memory_every) <= 0 or min(args.leads, args.memory_warmup,
                                          args.baseline_seconds) < 0:
        parser.error("counts, rates and durations must be positive")
    return args


def main() -> int:
    """Exit status: 0 when every reply was delivered exactly once and nothing is pending
    (whether or not the performance targets were met), 1 on a correctness failure, 2 when
    the run could not finish."""
    args = parse_args()
    if args.fake_graph:
        fake_graph_main()
        return 0
    bench = Bench(args)
    result: tuple[list[Row], bool] | None = None
    started = time.monotonic()

    async def body() -> None:
        nonlocal result
        try:
            result = await bench.main()
        finally:
            await bench.stop_stack()
            if bench.fake is not None:
                await bench.stop(bench.fake)
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
        for proc in bench.spawned:  # only what this run started, by its process group id
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
        if not args.keep_db and bench.created and not bench.dropped:
            with contextlib.suppress(Exception):  # a second try if the loop was interrupted
                asyncio.run(bench.drop_db())
    if result is None:
        for log in sorted(bench.tmp.glob("*.log")):
            print(f"{log.name} tail:\n" + bench.log_tail(log.stem))
        return 2
    rows, correct = result
    print_table(rows)
    print(f"\ntotal wall time {time.monotonic() - started:.0f} s; logs in {bench.tmp}")
    if not correct:
        print("CORRECTNESS FAILURE: see the last two rows (exit status 1)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
