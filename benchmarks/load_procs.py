"""CPU and memory of the processes in a ``load.py`` run, from /proc (Linux), and the
figures computed from time stamps (percentiles, busiest windows)."""

from __future__ import annotations

import math
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

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


def family(pids: list[int]) -> set[int]:
    """The live processes ``pids`` and their descendants (``serve --workers``: the workers)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                parents[int(entry.name)] = int(stat[1][1])  # field 4: ppid
    members = {pid for pid in pids if pid in parents}
    frontier = list(members)
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in members:
                members.add(child)
                frontier.append(child)
    return members


def tree_seconds(pids: list[int]) -> float:
    return sum(process_seconds(member) for member in family(pids))


def rss_bytes(pids: list[int]) -> tuple[int, int]:
    """(resident set size summed over ``pids`` and their descendants, process count)."""
    total = count = 0
    for pid in family(pids):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
                count += 1
                break
    return total, count


def describe(pids: list[int]) -> str:
    """The command lines of ``pids`` and their descendants, shortened: what RSS sums over."""
    names = []
    for pid in sorted(family(pids)):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [Path(a.decode(errors="replace")).name for a in argv if a][:4]
        names.append(f"{pid} {' '.join(words)}")
    return "; ".join(names)


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
    server: float  # every inkbook process of the run: serve (and its workers), relays
    relay: float  # the separate `inkbook relay` processes only
    postgres: float  # every postgres process (other users of the cluster included)
    busy: float
    backends: dict[int, float]  # backends connected to the bench database


class Cpu:
    def __init__(self) -> None:
        self.fake_pid = 0
        self.server_pids: list[int] = []
        self.relay_pids: list[int] = []

    def snap(self, backends: list[int]) -> CpuSnapshot:
        relay = tree_seconds(self.relay_pids) if self.relay_pids else 0.0
        return CpuSnapshot(time.monotonic(), time.process_time(),
                           process_seconds(self.fake_pid) if self.fake_pid else 0.0,
                           (tree_seconds(self.server_pids) if self.server_pids else 0.0) + relay,
                           relay, postgres_seconds(), machine_busy()[0],
                           {pid: process_seconds(pid) for pid in backends})

    @staticmethod
    def cores(a: CpuSnapshot, b: CpuSnapshot) -> dict[str, float]:
        wall = max(b.wall - a.wall, 1e-9)
        cores = {name: (getattr(b, name) - getattr(a, name)) / wall
                 for name in ("generator", "fake", "server", "relay", "postgres", "busy")}
        # a backend that exited during the interval is lost (the server's pool keeps them)
        cores["backends"] = sum(t - a.backends.get(pid, 0.0)
                                for pid, t in b.backends.items()) / wall
        return cores


def cores_line(cores: dict[str, float]) -> str:
    ours = sum(cores[k] for k in ("server", "postgres", "generator", "fake"))
    relay = f" (of which `inkbook relay` {cores['relay']:.2f})" if cores.get("relay") else ""
    return (f"cores used: server {cores['server']:.2f}{relay}, PostgreSQL "
            f"{cores['backends']:.2f} (bench DB backends; all postgres processes "
            f"{cores['postgres']:.2f}), generator {cores['generator']:.2f}, fake Graph "
            f"{cores['fake']:.2f}; machine busy {cores['busy']:.2f} of {os.cpu_count()} "
            f"(other processes {max(0.0, cores['busy'] - ours):.2f})")


# -- figures --------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.1f} ms"


def mb(size: float) -> str:
    return f"{size / 2**20:,.1f} MB"


def busiest(times: list[float], window: float = 1.0) -> int:
    """Most time stamps in any half-open window [t, t + window) (sorted ``times``)."""
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def whole_windows(times: list[float], window: float = 1.0) -> list[int]:
    """Counts in consecutive windows [first + k, first + k + 1) that end before the last
    time stamp (the partial window at the end is left out)."""
    if len(times) < 2:
        return []
    first = times[0]
    counts = [0] * int((times[-1] - first) // window)
    for t in times:
        k = int((t - first) // window)
        if k < len(counts):
            counts[k] += 1
    return counts


def median(values: list[int]) -> float:
    return statistics.median(values) if values else math.nan
