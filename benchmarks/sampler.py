"""Run an ``inkbook`` command under a low-overhead sampling profiler (no change to src/).

    .venv/bin/python benchmarks/sampler.py REPORT.txt serve --port 8001

``setitimer(ITIMER_PROF)`` raises SIGPROF every ``INKBOOK_SAMPLE_MS`` ms (default 2)
of *CPU time* of the process; the handler, run by the main thread at the next
bytecode boundary, records the Python stack. So the samples are CPU-time weighted
(waiting in ``select`` costs no CPU and is not sampled) and not biased towards
GIL-releasing calls, as a sampling *thread* would be. Time inside a long C call
(msgspec, hmac, asyncpg's protocol, a socket send) is charged to its Python caller.

On exit (SIGTERM or SIGINT stop ``serve`` cleanly) it writes REPORT.txt: samples by
package (innermost frame: "self"), by function (self and inclusive), and through a
few entry points of the hot path. ``benchmarks/load.py --profile-server REPORT.txt``
starts the server this way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

PACKAGES = [  # (label, path fragment), first match wins
    ("selectors (epoll, register)", "/selectors.py"),
    ("uvicorn + h11 (HTTP server)", "/uvicorn/"), ("uvicorn + h11 (HTTP server)", "/h11/"),
    ("litestar (framework)", "/litestar/"),
    ("sqlalchemy", "/sqlalchemy/"),
    ("asyncpg", "/asyncpg/"),
    ("httpx + httpcore (media downloads)", "/httpx/"),
    ("httpx + httpcore (media downloads)", "/httpcore/"),
    ("aiohttp + yarl + multidict (relay sends)", "/aiohttp/"),
    ("aiohttp + yarl + multidict (relay sends)", "/yarl/"),
    ("aiohttp + yarl + multidict (relay sends)", "/multidict/"),
    ("anyio", "/anyio/"),
    ("structlog / logging", "/structlog/"), ("structlog / logging", "/logging/"),
    ("prometheus_client", "/prometheus_client/"),
    ("dependency_injector", "/dependency_injector/"),
    ("aiolimiter", "/aiolimiter/"),
    ("msgspec", "/msgspec/"),
    ("inkbook core (decide, parsers)", "/src/core/"),
    ("inkbook adapters.sql", "/src/adapters/sql/"),
    ("inkbook adapters.meta", "/src/adapters/meta/"),
    ("inkbook adapters (other)", "/src/adapters/"),
    ("inkbook entrypoints (http, webhook)", "/src/entrypoints/"),
    ("asyncio (event loop, tasks)", "/asyncio/"),
]
ENTRY_POINTS = [  # (label, file fragment, function)
    ("HandleInbound.__call__ (one inbound message, whole unit of work)", "usecases/inbound.py",
     "__call__"),
    ("  decide()", "domain/decide.py", "decide"),
    ("  persist.apply (stage the decision)", "usecases/persist.py", "apply"),
    ("  SqlUnitOfWork.commit", "adapters/sql/uow.py", "commit"),
    ("  SqlUnitOfWork.claim (processed)", "adapters/sql/uow.py", "claim"),
    ("  SqlLeadRepo.lock", "adapters/sql/leads.py", "lock"),
    ("Transaction.execute (every SQL statement)", "adapters/sql/tx.py", "execute"),
    ("Transaction.connection (pool checkout + BEGIN)", "adapters/sql/tx.py", "connection"),
    ("Transaction._end (COMMIT/ROLLBACK + pool return)", "adapters/sql/tx.py", "_end"),
    ("MetaWebhookController.receive (the whole webhook)", "entrypoints/http/meta.py", "receive"),
    ("  verify_signature", "adapters/meta/signature.py", "verify_signature"),
    ("  decode_webhook", "adapters/meta/decode.py", "decode_webhook"),
    ("Relay.run_once (claim, send, record)", "usecases/relay.py", "run_once"),
    ("  SqlOutbox.claim", "adapters/sql/outbox.py", "claim"),
    ("  Relay._deliver (throttle + send)", "usecases/relay.py", "_deliver"),
    ("  MetaMessenger.send (aiohttp POST)", "adapters/meta/messenger.py", "send"),
    ("  Relay._record (one UPDATE per item)", "usecases/relay.py", "_record"),
    ("codec.lead_from_row / lead_values", "adapters/sql/codec.py", "lead_from_row"),
    ("SQLAlchemy compile (statement -> SQL string)", "/sqlalchemy/sql/compiler.py", "process"),
]


class Sampler:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.samples = 0
        self.self_pkg: Counter[str] = Counter()
        self.self_fn: Counter[str] = Counter()
        self.incl_fn: Counter[str] = Counter()
        self.entry: Counter[str] = Counter()
        self.chains: Counter[tuple[str, ...]] = Counter()  # innermost frame and 2 callers
        self._known: dict[object, tuple[str, str, str | None]] = {}
        self.gc_seconds = [0.0, 0.0, 0.0]
        self.gc_runs = [0, 0, 0]
        self._gc_started = 0.0
        self.started = time.monotonic()
        self.cpu_started = time.process_time()

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_seconds[info["generation"]] += time.perf_counter() - self._gc_started
            self.gc_runs[info["generation"]] += 1

    def start(self) -> None:
        gc.callbacks.append(self._gc)
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def _sample(self, _signum: int, frame: object) -> None:
        if frame is None:
            return
        self.samples += 1
        known = self._known
        codes = set()
        first = True
        chain: list[str] = []
        while frame is not None:
            code = frame.f_code  # type: ignore[attr-defined]
            if code not in known:
                entry = next((label for label, path, function in ENTRY_POINTS
                              if code.co_name == function and path in code.co_filename), None)
                known[code] = (_name(code), _package(code.co_filename), entry)
            if first:
                self.self_fn[known[code][0]] += 1
                self.self_pkg[known[code][1]] += 1
                first = False
            if len(chain) < 3:
                chain.append(known[code][0])
            codes.add(code)
            frame = frame.f_back  # type: ignore[attr-defined]
        self.chains[tuple(chain)] += 1
        hit = set()
        for code in codes:
            name, _, entry = known[code]
            self.incl_fn[name] += 1
            if entry is not None:
                hit.add(entry)
        for label in hit:
            self.entry[label] += 1

    def report(self, path: Path) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        n = max(self.samples, 1)
        wall = time.monotonic() - self.started
        cpu = time.process_time() - self.cpu_started
        lines = [f"{self.samples} samples (asked one per {self.interval * 1000:g} ms of CPU; the "
                 f"kernel tick rounds it: {cpu / n * 1000:.1f} ms per sample); "
                 f"process CPU {cpu:.1f} s over {wall:.1f} s ({cpu / wall:.2f} cores)",
                 "CPU by thread: " + ", ".join(_threads()),
                 "garbage collector: " + ", ".join(
                     f"gen{g} {self.gc_runs[g]} runs {self.gc_seconds[g]:.2f} s" for g in range(3))
                 + f" (total {sum(self.gc_seconds):.2f} s wall)", "",
                 "self time by package (innermost frame):"]
        lines += [f"  {count / n:6.1%}  {label}" for label, count in self.self_pkg.most_common()]
        lines += ["", "entry points, inclusive (% of CPU samples):"]
        for label, _, _ in ENTRY_POINTS:
            lines.append(f"  {self.entry.get(label, 0) / n:6.1%}  {label}")
        lines += ["", "top 40 functions by self time:"]
        lines += [f"  {c / n:6.1%}  {f}" for f, c in self.self_fn.most_common(40)]
        lines += ["", "top 60 functions by inclusive time:"]
        lines += [f"  {c / n:6.1%}  {f}" for f, c in self.incl_fn.most_common(60)]
        lines += ["", "top 40 innermost frames with their two callers (self time):"]
        lines += [f"  {c / n:6.1%}  " + "  <-  ".join(chain)
                  for chain, c in self.chains.most_common(40)]
        path.write_text("\n".join(lines) + "\n")


def _threads() -> list[str]:
    out = []
    tick = os.sysconf("SC_CLK_TCK")
    for task in sorted(Path("/proc/self/task").iterdir()):
        with contextlib.suppress(OSError):
            raw = (task / "stat").read_text()
            name = raw[raw.index("(") + 1: raw.rindex(")")]
            f = raw[raw.rindex(")") + 2:].split()
            out.append(f"{task.name} ({name}) {(int(f[11]) + int(f[12])) / tick:.1f} s")
    return out


def _package(filename: str) -> str:
    for label, fragment in PACKAGES:
        if fragment in filename:
            return label
    return "other: " + "/".join(Path(filename).parts[-2:])


def _name(code: object) -> str:
    filename = code.co_filename  # type: ignore[attr-defined]
    marker = "site-packages/"
    short = filename.split(marker, 1)[1] if marker in filename else "/".join(
        Path(filename).parts[-3:])
    return f"{short}:{code.co_firstlineno} {code.co_qualname}"  # type: ignore[attr-defined]


def _exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    report = Path(sys.argv[1])
    sampler = Sampler(float(os.environ.get("INKBOOK_SAMPLE_MS", "2")) / 1000)
    from entrypoints.cli import main as inkbook

    # uvicorn restores the previous SIGTERM/SIGINT handlers after its graceful shutdown and
    # raises the signal again: make that an exit through the ``finally`` below.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _exit)
    sampler.start()
    try:
        return inkbook(sys.argv[2:])
    finally:
        sampler.report(report)


if __name__ == "__main__":
    sys.exit(main())
