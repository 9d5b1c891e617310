"""Run an ``inkbook`` command under a low-overhead sampling profiler (no change to src/).

    .venv/bin/python benchmarks/sampler.py REPORT.txt serve --port 8001

A thread samples the main thread's Python stack every ``INKBOOK_SAMPLE_MS`` ms (default
2) while the command runs; on exit (SIGTERM or SIGINT stop ``serve`` cleanly) it
writes REPORT.txt: where the samples were, by package (the innermost frame: "self"
time), by function (self and inclusive), and through a few entry points of the hot
path. Samples while the loop waits in ``select`` are "idle". ``benchmarks/load.py
--profile-server REPORT.txt`` starts the server this way.

Sampling needs the GIL, so a sample lands on the next bytecode boundary: time inside
a long C call (msgspec, hmac, asyncpg's protocol) is charged to its caller.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

PACKAGES = [  # (label, path fragment), first match wins
    ("idle: event loop waiting (select)", "/selectors.py"),
    ("uvicorn + h11 (HTTP server)", "/uvicorn/"), ("uvicorn + h11 (HTTP server)", "/h11/"),
    ("litestar (framework)", "/litestar/"),
    ("sqlalchemy", "/sqlalchemy/"),
    ("asyncpg", "/asyncpg/"),
    ("httpx + httpcore (relay sends)", "/httpx/"), ("httpx + httpcore (relay sends)", "/httpcore/"),
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
    ("  MetaMessenger.send (httpx POST)", "adapters/meta/messenger.py", "send"),
    ("  Relay._record (one UPDATE per item)", "usecases/relay.py", "_record"),
    ("codec.lead_from_row / lead_values", "adapters/sql/codec.py", "lead_from_row"),
    ("SQLAlchemy compile (statement -> SQL string)", "/sqlalchemy/sql/compiler.py", "process"),
]


class Sampler:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.target = threading.main_thread().ident
        self.samples = 0
        self.self_pkg: Counter[str] = Counter()
        self.self_fn: Counter[str] = Counter()
        self.incl_fn: Counter[str] = Counter()
        self.entry: Counter[str] = Counter()
        self._stop = threading.Event()
        self.started = time.monotonic()
        self.cpu_started = time.process_time()

    def start(self) -> None:
        threading.Thread(target=self._run, name="sampler", daemon=True).start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            frame = sys._current_frames().get(self.target)  # noqa: SLF001
            if frame is None:
                continue
            self.samples += 1
            inner = frame.f_code
            self.self_pkg[_package(inner.co_filename)] += 1
            self.self_fn[_name(inner)] += 1
            seen = set()
            hit = set()
            while frame is not None:
                code = frame.f_code
                name = _name(code)
                if name not in seen:
                    seen.add(name)
                    self.incl_fn[name] += 1
                for label, path, function in ENTRY_POINTS:
                    if code.co_name == function and path in code.co_filename:
                        hit.add(label)
                frame = frame.f_back
            for label in hit:
                self.entry[label] += 1

    def report(self, path: Path) -> None:
        self._stop.set()
        n = max(self.samples, 1)
        wall = time.monotonic() - self.started
        cpu = time.process_time() - self.cpu_started
        lines = [f"{self.samples} samples every {self.interval * 1000:g} ms over {wall:.1f} s; "
                 f"process CPU {cpu:.1f} s ({cpu / wall:.2f} cores)", "",
                 "self time by package (innermost frame):"]
        lines += [f"  {count / n:6.1%}  {label}" for label, count in self.self_pkg.most_common()]
        busy = n - self.self_pkg.get(PACKAGES[0][0], 0)
        lines += ["", f"entry points, inclusive (% of all samples / % of non-idle, {busy} busy):"]
        for label, _, _ in ENTRY_POINTS:
            count = self.entry.get(label, 0)
            lines.append(f"  {count / n:6.1%} {count / max(busy, 1):6.1%}  {label}")
        lines += ["", "top 40 functions by self time:"]
        lines += [f"  {c / n:6.1%}  {f}" for f, c in self.self_fn.most_common(40)]
        lines += ["", "top 60 functions by inclusive time:"]
        lines += [f"  {c / n:6.1%}  {f}" for f, c in self.incl_fn.most_common(60)]
        path.write_text("\n".join(lines) + "\n")


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


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    report = Path(sys.argv[1])
    sampler = Sampler(float(os.environ.get("INKBOOK_SAMPLE_MS", "2")) / 1000)
    from entrypoints.cli import main as inkbook

    sampler.start()
    try:
        return inkbook(sys.argv[2:])
    finally:
        sampler.report(report)


if __name__ == "__main__":
    sys.exit(main())
