"""The relay's claim statement alone on PostgreSQL: long and short queues, heads leased or free.

    .venv/bin/python benchmarks/claim.py [--runs 15]

A fresh database ``inkbook_claimbench_<random>`` (dropped at the end), migrated, and for each
scenario an outbox built with COPY (one artist number with a long queue, many clients with
short ones, interleaved as they are decided), then each claim form timed as a prepared
statement inside a transaction that is rolled back (the outbox stays as built):

- ``row walk``: the form SQLite runs (and PostgreSQL ran before): pending rows oldest first,
  each asked "is an older one to the same recipient pending?", until ``limit`` heads;
- ``by recipient``: the PostgreSQL form, heads found by a loose index scan of the pending
  ``(recipient, id)`` index (one descent per recipient), without followers (``behind`` 0)...
- ``+ chains``: ...and with the 24 followers per head the relay claims (one statement).

Printed: the median time of each (after PostgreSQL settled on its plan) and the rows claimed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.load import ADMIN_DSN, DB_URL  # noqa: E402 (the same database conventions)

ARTIST = "447700900000"
# name: (clients, messages per client, artist messages, client heads leased, artist leased)
SCENARIOS: dict[str, tuple[int, int, int, bool, bool]] = {
    "artist 2000 + 300 x 2, heads free": (300, 2, 2000, False, False),
    "artist 2000 + 300 x 2, heads leased": (300, 2, 2000, True, True),
    "400 x 15, heads free": (400, 15, 0, False, False),
    "400 x 15, heads leased": (400, 15, 0, True, False),
    "400 x 15 + artist 500, heads leased": (400, 15, 500, True, True),
    "20 x 1 + artist 50 leased (steady state)": (20, 1, 50, False, True),
    "3000 x 1, heads free": (3000, 1, 0, False, False),
    "3000 x 1, heads leased": (3000, 1, 0, True, False),
}


async def build(conn: Any, clients: int, each: int, artist: int, leased: bool,
                artist_leased: bool, now: datetime) -> int:
    await conn.execute("TRUNCATE outbox, leads RESTART IDENTITY")
    await conn.executemany(
        "INSERT INTO leads (id, studio, contact, status, step, created_at, updated_at, version,"
        " snapshot, last_client_message_at) VALUES ($1, 'demo', $1, 'qualifying', 0, $2, $2, 1,"
        " '{}', $2)", [(f"lead-{c}", now) for c in range(clients)])
    order = [(f"4479{c:08d}", "client", f"lead-{c}") for n in range(each) for c in range(clients)]
    step = max(1, len(order) // artist) if artist else 0
    rows: list[tuple[str, str, str]] = []
    notes = 0
    for i, row in enumerate(order):
        rows.append(row)
        if artist and i % step == 0 and notes < artist:
            rows.append((ARTIST, "artist", "lead-0"))
            notes += 1
    rows += [(ARTIST, "artist", "lead-0")] * (artist - notes)
    payload = json.dumps({"text": "hello"})
    await conn.copy_records_to_table(
        "outbox", columns=["recipient", "audience", "lead_id", "studio", "purpose", "payload",
                           "state", "attempts", "created_at"],
        records=[(*row, "demo", "ask_question", payload, "pending", 0, now) for row in rows])
    until = now + timedelta(seconds=10)
    if leased:  # every client's head leased by a pass in flight
        await conn.execute("UPDATE outbox SET claimed_until = $1 WHERE id IN (SELECT min(id)"
                           " FROM outbox WHERE audience = 'client' GROUP BY recipient)", until)
    if artist_leased:  # the artist's chain in flight: its first 25 leased
        await conn.execute("UPDATE outbox SET claimed_until = $1 WHERE id IN (SELECT id FROM"
                           " outbox WHERE recipient = $2 ORDER BY id LIMIT 25)", until, ARTIST)
    await conn.execute("ANALYZE outbox; ANALYZE leads")
    return len(rows)


async def timed(conn: Any, statement: Any, values: dict[str, Any], runs: int) -> tuple[float, int]:
    from sqlalchemy.dialects.postgresql.asyncpg import dialect

    compiled = statement.compile(dialect=dialect(paramstyle="numeric_dollar"))
    params = compiled.construct_params(values)
    args = [params[name] for name in compiled.positiontup]
    prepared = await conn.prepare(compiled.string)
    times, claimed = [], 0
    for _ in range(runs):
        transaction = conn.transaction()
        await transaction.start()
        started = time.perf_counter()
        claimed = len(await prepared.fetch(*args))
        times.append(time.perf_counter() - started)
        await transaction.rollback()
    return statistics.median(times[runs // 2:]), claimed  # once the plan has settled


async def main(args: argparse.Namespace) -> None:
    import asyncpg

    from adapters.sql import aupgrade
    from adapters.sql.notify import asyncpg_dsn
    from adapters.sql.outbox import claim_statement

    db = f"inkbook_claimbench_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{db}"')
    try:
        await aupgrade(DB_URL.format(db=db))
        conn = await asyncpg.connect(asyncpg_dsn(DB_URL.format(db=db)))
        now = datetime.now(UTC)
        values = {"now": now, "until": now + timedelta(seconds=10), "limit": 200}
        forms = [("row walk", claim_statement("sqlite"), {}),
                 ("by recipient", claim_statement("postgresql"), {"behind": 0}),
                 ("+ chains", claim_statement("postgresql"), {"behind": 24})]
        print(f"{'scenario':42} {'pending':>7}  " + "  ".join(f"{f:>20}" for f, *_ in forms))
        for name, spec in SCENARIOS.items():
            pending = await build(conn, *spec, now)
            cells = []
            for _form, statement, extra in forms:
                seconds, claimed = await timed(conn, statement, {**values, **extra}, args.runs)
                cells.append(f"{seconds * 1000:7.2f} ms ({claimed:4} rows)")
            print(f"{name:42} {pending:7}  " + "  ".join(cells), flush=True)
        await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    asyncio.run(main(parser.parse_args()))
