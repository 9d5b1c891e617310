"""How ``inkbook sweep`` reports a pass (issue 10)."""

from __future__ import annotations

from core.usecases.sweep import SweepReport


def describe(report: SweepReport) -> str:
    if not report.done and not report.failed:
        return "sweep: nothing due"
    parts = [f"{what} {count}" for what, count in sorted(report.done.items())]
    if report.failed:
        parts.append(f"failed {report.failed}")
    return "sweep: " + ", ".join(parts)
