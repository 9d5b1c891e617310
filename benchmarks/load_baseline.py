"""The bare inbound transaction through raw asyncpg: ``load.py``'s baseline (an upper
bound for PostgreSQL on this machine, not a goal)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from load_procs import Cpu, CpuSnapshot

Snap = Callable[[], Awaitable[CpuSnapshot]]


async def baseline(dsn: str, run_id: str, concurrency: int, seconds: float, notify: bool,
                   snapshot: str, snap: Snap) -> tuple[float, int, dict[str, float]]:
    """The bare inbound transaction through raw asyncpg; returns (tx/s, count, cores)."""
    import asyncpg

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
                        f"baseline:{run_id}:{tag}:{w}:{n}", now)
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
        before = await snap()
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        elapsed = time.monotonic() - started
        cores = Cpu.cores(before, await snap())
        await forget(pool)
    finally:
        await pool.close()
    return done / elapsed, done, cores


async def forget(pool: Any) -> None:
    """Delete what the baseline wrote: it may run while the service is up (right after
    (a)), and the run's checks count the outbox per recipient."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("DELETE FROM outbox WHERE studio = 'baseline'")
        for table in ("answers", "messages"):
            await conn.execute(f"DELETE FROM {table} WHERE lead_id LIKE 'bl-%'")
        await conn.execute("DELETE FROM leads WHERE studio = 'baseline'")
        await conn.execute("DELETE FROM processed WHERE key LIKE 'baseline:%'")


def sample_snapshot() -> str:
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
