"""The group commit's unit of work straight on asyncpg (PostgreSQL, issue 12).

``HandleInboundBatch`` decides many messages in one transaction; through SQLAlchemy
its statements spent more CPU in the driver bridge (greenlets, parameter and result
processing, insertmanyvalues) than in deciding. This unit of work implements the
part of the :class:`~ports.unit_of_work.UnitOfWork` port the batch reaches with
hand-written SQL on an asyncpg connection of its own pool (asyncpg prepares and
caches each statement per connection): each table's rows of a batch passed as arrays
and expanded by ``unnest``, the writes nobody reads back sent together, as the
data-modifying CTEs of the outbox append or of the NOTIFY before COMMIT.

The same rows as :class:`~adapters.sql.uow.SqlUnitOfWork` writes: row values from
:mod:`adapters.sql.codec`, JSON as :func:`adapters.sql.engine._json_dumps` writes it,
every string parameter scrubbed of NUL (B-45), naive datetimes refused (B-39, as
:class:`~adapters.sql.columns.UtcDateTime` does). Anything else of the port raises
:class:`NotImplementedError` (counted in :attr:`PgBatch.fallbacks`): the batch then
rolls back and its messages go one by one through ``SqlUnitOfWork``, correct and slower.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, NamedTuple, NoReturn

import asyncpg
import msgspec

from adapters.sql import codec, nul
from adapters.sql.engine import _json_dumps
from adapters.sql.leads import lock_or_insert
from adapters.sql.notify import CHANNEL, OutboxListener
from core.domain.events import Event
from core.domain.lead import Answer, Lead
from core.domain.outbound import CLIENT, Outgoing
from core.domain.status import Transition
from ports.clock import Clock
from ports.lead_repo import ThreadEntry
from ports.outbox import CANCELLED, PENDING, OutboxItem

log = logging.getLogger("inkbook.sql")

# -- the statements (each prepared once per connection by asyncpg) ---------------------------

CLAIM = (
    "INSERT INTO processed (key, at) SELECT k, $2::timestamptz FROM unnest($1::text[]) AS k "
    "ON CONFLICT (key) DO NOTHING RETURNING key"
)
RELEASE = "DELETE FROM processed WHERE key = ANY($1::text[])"
# Locks taken as the sorted rows come out (LockRows above the Sort): one stable order,
# so batches sharing leads never deadlock (B-6).
LOCK_MANY = (
    "SELECT version, snapshot FROM leads "
    "WHERE (studio, contact) IN (SELECT * FROM unnest($1::text[], $2::text[])) "
    "ORDER BY studio, contact FOR UPDATE"
)
OPTED_OUT = "SELECT key FROM optouts WHERE key = ANY($1::text[])"
CANCEL_PENDING = (
    f"UPDATE outbox SET state = '{CANCELLED}', last_error = $2 "
    f"WHERE lead_id = $1 AND audience = '{CLIENT}' AND state = '{PENDING}' "
    "AND purpose <> ALL($3::text[])"
)
LEAD_COLUMNS = (("studio", "text"), ("contact", "text"), ("status", "text"), ("step", "int"),
                ("name", "text"), ("handover_reason", "text"), ("created_at", "ts"),
                ("updated_at", "ts"), ("last_client_message_at", "ts"),
                ("snapshot", "json"), ("erased_at", "ts"))
ANSWER_COLUMNS = (("lead_id", "text"), ("key", "text"), ("text", "text"),
                  ("message_id", "text"), ("at", "ts"), ("value", "json"), ("media", "json"))
THREAD_COLUMNS = (("lead_id", "text"), ("direction", "text"), ("text", "text"), ("at", "ts"),
                  ("message_id", "text"), ("kind", "text"))
TRANSITION_COLUMNS = (("lead_id", "text"), ("source", "text"), ("target", "text"),
                      ("reason", "text"), ("actor", "text"), ("at", "ts"))
EVENT_COLUMNS = (("kind", "text"), ("at", "ts"), ("lead_id", "text"), ("studio", "text"),
                 ("level", "text"), ("detail", "json"))
OUTBOX_COLUMNS = (("lead_id", "text"), ("studio", "text"), ("recipient", "text"),
                  ("audience", "text"), ("purpose", "text"), ("payload", "json"),
                  ("state", "text"), ("attempts", "int"), ("created_at", "ts"))
PG_TYPES = {"text": "text", "int": "int", "ts": "timestamptz", "json": "jsonb"}
ID = (("id", "text"),)
SAVES = (("saves", "int"),)

Columns = tuple[tuple[str, str], ...]


def _arrays(columns: Columns, first: int = 1) -> str:
    return ", ".join(f"${n}::{PG_TYPES[kind]}[]" for n, (_, kind) in enumerate(columns, first))


def _names(columns: Columns) -> str:
    return ", ".join(name for name, _ in columns)


INSERT_LEADS = (
    f"INSERT INTO leads (id, version, {_names(LEAD_COLUMNS)}) "
    f"SELECT id, 0, {_names(LEAD_COLUMNS)} "
    f"FROM unnest($1::text[], {_arrays(LEAD_COLUMNS, 2)}) AS r(id, {_names(LEAD_COLUMNS)}) "
    "ON CONFLICT (studio, contact) DO NOTHING RETURNING id"
)


class Write(NamedTuple):
    """One multi-row write: ``sql(first)`` takes one array per column from ``$first`` on."""

    name: str
    columns: Columns
    sql: Callable[[int], str]


def _insert(table: str, columns: Columns) -> Write:
    return Write(table, columns, lambda first: (
        f"INSERT INTO {table} ({_names(columns)}) SELECT * FROM unnest({_arrays(columns, first)})"
    ))


SAVED = ID + SAVES + LEAD_COLUMNS
# Each lead once per statement, its version up by the number of saves collapsed into it
# (what one UPDATE per save would give).
SAVE_LEADS = Write("leads", SAVED, lambda first: (
    "UPDATE leads SET version = leads.version + s.saves, "
    + ", ".join(f"{name} = s.{name}" for name, _ in LEAD_COLUMNS)
    + f" FROM unnest({_arrays(SAVED, first)}) AS s({_names(SAVED)}) WHERE leads.id = s.id"
))
INSERT_ANSWERS = _insert("answers", ANSWER_COLUMNS)
INSERT_THREAD = _insert("messages", THREAD_COLUMNS)
INSERT_TRANSITIONS = _insert("transitions", TRANSITION_COLUMNS)
INSERT_EVENTS = _insert("events", EVENT_COLUMNS)
# Ids in the rows' order: the SELECT's ORDER BY fixes the order in which the sequence is
# drawn (as SQLAlchemy's insertmanyvalues relies on), so sorted ids are in row order.
APPEND = Write("outbox", OUTBOX_COLUMNS, lambda first: (
    f"INSERT INTO outbox ({_names(OUTBOX_COLUMNS)}) SELECT {_names(OUTBOX_COLUMNS)} "
    f"FROM unnest({_arrays(OUTBOX_COLUMNS, first)}) WITH ORDINALITY "
    f"AS r({_names(OUTBOX_COLUMNS)}, n) ORDER BY n RETURNING id"
))
# The last statement before COMMIT: NOTIFY (delivered on commit only), or nothing.
NOTIFY = f"SELECT pg_notify('{CHANNEL}', '')"
NOTHING = "SELECT 1"


@functools.cache
def _statement(writes: tuple[Write, ...], last: Write | str) -> str:
    """``writes`` as data-modifying CTEs of ``last``: one statement, one round trip. Each
    runs once, to completion; none reads another's rows (none needs to)."""
    first = 1
    parts = []
    for n, write in enumerate(writes):
        parts.append(f"w{n} AS ({write.sql(first)})")
        first += len(write.columns)
    tail = last if isinstance(last, str) else last.sql(first)
    return f"WITH {', '.join(parts)} {tail}" if parts else tail


# -- values ------------------------------------------------------------------------------------


def _utc(value: datetime | None) -> datetime | None:
    """UtcDateTime's check: timezone-aware only (B-39); asyncpg stores the instant."""
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"naive datetime {value!r}: pass timezone-aware UTC")
    return value


def _jsonb(value: Any) -> str | None:
    """As the engine's JSON columns: msgspec, NUL-safe; ``None`` is SQL NULL."""
    return None if value is None else _json_dumps(value)


def _same(value: Any) -> Any:
    return value


CONVERT: dict[str, Callable[[Any], Any]] = {"text": _same, "int": _same, "ts": _utc,
                                            "json": _jsonb}


def _converters(columns: Columns) -> list[tuple[str, Callable[[Any], Any]]]:
    return [(name, CONVERT[kind]) for name, kind in columns]


def _row(converters: list[tuple[str, Callable[[Any], Any]]],
         values: dict[str, Any]) -> list[Any]:
    return [convert(values[name]) for name, convert in converters]


def _transpose(rows: Sequence[Sequence[Any]], columns: Columns) -> list[list[Any]]:
    """Rows to one array per column, every string scrubbed of NUL (B-45): text columns are
    checked (JSON is written NUL-free by ``_jsonb``; numbers and times hold no text)."""
    arrays = [list(column) for column in zip(*rows, strict=True)]
    for n, (_, kind) in enumerate(columns):
        if kind == "text" and nul.NUL in "".join(filter(None, arrays[n])):
            arrays[n] = nul.scrub(arrays[n])
    return arrays


def _scrubbed(parameters: list[Any]) -> list[Any]:
    if nul.has_nul(parameters):
        scrubbed: list[Any] = nul.scrub(parameters)  # strings, and strings in lists
        return scrubbed
    return parameters


def _lead(version: int, snapshot: str) -> Lead:
    """As ``codec.lead_from_row``, decoding the JSON text straight into the struct."""
    lead = msgspec.json.decode(snapshot, type=Lead)
    return lead if lead.version == version else msgspec.structs.replace(lead, version=version)


LEAD_ROW = _converters(LEAD_COLUMNS)
ANSWER_ROW = _converters(ANSWER_COLUMNS)
THREAD_ROW = _converters(THREAD_COLUMNS)
TRANSITION_ROW = _converters(TRANSITION_COLUMNS)
EVENT_ROW = _converters(EVENT_COLUMNS)
OUTBOX_ROW = _converters(OUTBOX_COLUMNS)


# -- the pool ----------------------------------------------------------------------------------


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """The pool's reset on release, after asyncpg's own (which rolls back a transaction
    left open and drops listeners). The default also sends ``pg_advisory_unlock_all(); CLOSE
    ALL; UNLISTEN *; RESET ALL``, a round trip per batch for state these connections never
    take: no advisory locks, cursors, LISTEN or SET (issue 12: about 3% of (a))."""


class PgBatch:
    """The asyncpg pool of the group commits, ``connections`` at most (one per batch in
    flight: ``INKBOOK_INBOUND_BATCHES``), with the engine's timeouts and server settings.

    Opened on first use, closed by :meth:`close` (``SqlStore.dispose``).
    """

    def __init__(self, dsn: str, connect_args: dict[str, Any], connections: int,
                 clock: Clock, listener: OutboxListener) -> None:
        self.clock = clock
        self.listener = listener
        self.fallbacks = 0  # port calls not on this path: batches sent one by one instead
        self._dsn = dsn
        self._connect = float(connect_args.get("timeout", 60.0))
        self._options = {
            "command_timeout": connect_args.get("command_timeout"),
            # The engine's (statement_timeout), and one plan per statement and connection:
            # PostgreSQL would otherwise plan a custom plan on every execution, the unnest
            # arrays' lengths being unknown to the generic plan's cost (about 0.1 ms of
            # PostgreSQL CPU per message at a batch of two). Every statement here is a
            # key lookup, an insert or a join on an index whatever the row count; a plan
            # is made again when the tables' statistics change.
            "server_settings": {**(connect_args.get("server_settings") or {}),
                                "plan_cache_mode": "force_generic_plan"},
        }
        self._connections = max(1, connections)
        self._pool: asyncpg.Pool | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening = asyncio.Lock()

    def uow(self) -> PgBatchUnitOfWork:
        return PgBatchUnitOfWork(self)

    async def acquire(self) -> asyncpg.Connection:
        pool = self._pool or await self._open()
        connection: asyncpg.Connection = await pool.acquire(timeout=self._connect)
        return connection

    async def release(self, connection: asyncpg.Connection) -> None:
        if self._pool is not None:
            await self._pool.release(connection)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if self._loop is not asyncio.get_running_loop():  # another loop's (a test client's)
            with contextlib.suppress(RuntimeError):  # its connections cannot be awaited here
                pool.terminate()
            return
        await pool.close()

    def unsupported(self, what: str) -> NoReturn:
        self.fallbacks += 1
        log.warning("group commit: %s is not on the asyncpg path; the batch goes one by one "
                    "(%d so far)", what, self.fallbacks)
        raise NotImplementedError(f"{what}: not on the group commit's asyncpg path")

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                self._loop = asyncio.get_running_loop()
                self._pool = await asyncpg.create_pool(
                    self._dsn, min_size=0, max_size=self._connections, timeout=self._connect,
                    reset=_nothing_to_reset,
                    **{k: v for k, v in self._options.items() if v is not None},
                )
            return self._pool


# -- the unit of work --------------------------------------------------------------------------


class PgBatchUnitOfWork:
    """One transaction on one pooled asyncpg connection (see the module docstring).

    Writes nobody reads back (lead saves, answers, transitions, events, thread lines)
    are buffered, as ``Transaction.defer(..., commutes=True)`` does on the SQLAlchemy
    path, and sent with the outbox append or the commit's NOTIFY: each table's rows one
    data-modifying CTE of that one statement (see :meth:`write`). A typical batch is
    BEGIN, claim, lock (and insert the new leads), append, NOTIFY, COMMIT.
    """

    def __init__(self, batch: PgBatch) -> None:
        self._batch = batch
        self._connection: asyncpg.Connection | None = None
        self._transaction: Any = None
        self.locked: set[str] = set()  # leads locked or created in this transaction
        self.saves: dict[str, tuple[int, list[Any]]] = {}  # id -> (saves, row)
        self.rows: dict[Write, list[list[Any]]] = {}  # write -> rows, in call order
        self.appended = False
        self.leads = PgBatchLeads(self)
        self.outbox = PgBatchOutbox(self)
        self.privacy = PgBatchPrivacy(self)

    @property
    def sweeps(self) -> Any:
        self._batch.unsupported("sweeps")

    @property
    def api_keys(self) -> Any:
        self._batch.unsupported("api_keys")

    @property
    def users(self) -> Any:
        self._batch.unsupported("users")

    @property
    def clock(self) -> Clock:
        return self._batch.clock

    def unsupported(self, what: str) -> NoReturn:
        self._batch.unsupported(what)

    async def connection(self) -> asyncpg.Connection:
        """The transaction's connection (BEGIN on first use)."""
        if self._connection is None:
            connection = await self._batch.acquire()
            try:
                transaction = connection.transaction()
                await transaction.start()
            except BaseException:
                await self._discard(connection)
                raise
            self._connection, self._transaction = connection, transaction
        return self._connection

    def buffer(self, write: Write, row: list[Any]) -> None:
        rows = self.rows.get(write)
        if rows is None:
            self.rows[write] = rows = []
        rows.append(row)

    async def write(self, last: Write | str = NOTHING,
                    rows: Sequence[Sequence[Any]] = ()) -> list[asyncpg.Record]:
        """The buffered writes and then ``last`` (with its ``rows``), in one statement.

        Only the lock of leads reads a table written to here: it sends them first. Every
        other statement of the batch reads tables the buffer does not hold.
        """
        writes: list[Write] = []
        arrays: list[list[Any]] = []
        saves, self.saves = self.saves, {}
        if saves:
            writes.append(SAVE_LEADS)
            arrays += _transpose([[lead_id, count, *row] for lead_id, (count, row)
                                  in saves.items()], SAVED)
        buffered, self.rows = self.rows, {}
        for write, batch in buffered.items():
            writes.append(write)
            arrays += _transpose(batch, write.columns)
        if isinstance(last, Write):
            arrays += _transpose(rows, last.columns)
        connection = await self.connection()
        result: list[asyncpg.Record] = await connection.fetch(
            _statement(tuple(writes), last), *arrays)
        return result

    async def claim(self, key: str) -> bool:
        return key in await self.claim_many([key])

    async def claim_many(self, keys: Sequence[str]) -> set[str]:
        """One insert of the sorted keys (no deadlocks); those claimed here (B-3)."""
        unique = sorted(set(keys))
        if not unique:
            return set()
        stored = {nul.scrub(key): key for key in unique}
        connection = await self.connection()
        rows = await connection.fetch(CLAIM, list(stored), _utc(self.clock.now()))
        return {stored[row[0]] for row in rows}

    async def release(self, keys: Sequence[str]) -> None:
        if keys:
            connection = await self.connection()
            await connection.execute(RELEASE, [nul.scrub(key) for key in keys])

    async def record_event(self, event: Event) -> None:
        self.buffer(INSERT_EVENTS, _row(EVENT_ROW, codec.event_values(event)))

    async def events(self, lead_id: str | None = None, kind: str | None = None) -> list[Event]:
        self.unsupported("events")

    async def commit(self) -> None:
        appended, self.appended = self.appended, False
        if self.saves or self.rows or appended:
            await self.write(NOTIFY if appended else NOTHING)  # NOTIFY: delivered on commit
        if self._connection is not None:
            await self._transaction.commit()
            await self._end()
        if appended:
            self._batch.listener.wake()

    async def rollback(self) -> None:
        self.appended = False
        self.saves.clear()
        self.rows.clear()
        if self._connection is None:
            return
        connection = self._connection
        try:
            await self._transaction.rollback()
        except Exception:  # a broken or frozen connection: the transaction dies with it
            connection.terminate()
        await self._end()

    async def __aenter__(self) -> PgBatchUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def _end(self) -> None:
        self.locked.clear()
        connection, self._connection, self._transaction = self._connection, None, None
        if connection is not None:
            await self._discard(connection)

    async def _discard(self, connection: asyncpg.Connection) -> None:
        try:
            await self._batch.release(connection)
        except Exception:  # pragma: no cover - release resets; a dead connection is dropped
            connection.terminate()


class PgBatchLeads:
    """What the batch needs of :class:`~ports.lead_repo.LeadRepo`; the rest raises."""

    def __init__(self, uow: PgBatchUnitOfWork) -> None:
        self._uow = uow

    async def lock_many(
        self, contacts: Sequence[tuple[str, str]], now: datetime
    ) -> dict[tuple[str, str], Lead]:
        """As ``SqlLeadRepo.lock_many``: lock in (studio, contact) order, insert the missing
        (in that order too), then lock the few whose twin another transaction committed."""
        async def insert(fresh: list[Lead]) -> set[str]:
            rows = [[lead.id, *_row(LEAD_ROW, codec.lead_values(lead, now))] for lead in fresh]
            connection = await self._uow.connection()
            inserted = await connection.fetch(INSERT_LEADS, *_transpose(rows, ID + LEAD_COLUMNS))
            return {row[0] for row in inserted}

        return await lock_or_insert(contacts, now, self._many, insert, self._uow.locked)

    async def _many(self, contacts: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Lead]:
        stored = {(nul.scrub(s), nul.scrub(c)): (s, c) for s, c in contacts}
        if self._uow.saves:  # read what this transaction wrote
            await self._uow.write()
        connection = await self._uow.connection()
        rows = await connection.fetch(LOCK_MANY, [s for s, _ in stored], [c for _, c in stored])
        locked = {}
        for version, snapshot in rows:
            lead = _lead(version, snapshot)
            locked[stored.get((lead.studio, lead.contact), (lead.studio, lead.contact))] = lead
            self._uow.locked.add(lead.id)
        return locked

    async def save(self, lead: Lead) -> None:
        """A locked lead's snapshot, sent with the next statement (version + 1 per save)."""
        if lead.id not in self._uow.locked:
            self._uow.unsupported("leads.save of a lead this transaction did not lock")
        row = _row(LEAD_ROW, codec.lead_values(lead, self._uow.clock.now()))
        count = self._uow.saves.get(lead.id, (0, []))[0]
        self._uow.saves[lead.id] = (count + 1, row)

    async def add_answers(self, lead_id: str, answers: Sequence[Answer]) -> None:
        for answer in answers:
            self._uow.buffer(INSERT_ANSWERS,
                             _row(ANSWER_ROW, codec.answer_values(lead_id, answer)))

    async def add_thread(self, entries: Sequence[ThreadEntry]) -> None:
        for entry in entries:
            self._uow.buffer(INSERT_THREAD, _row(THREAD_ROW, codec.thread_values(entry)))

    async def add_transitions(self, lead_id: str, transitions: Sequence[Transition]) -> None:
        for transition in transitions:
            self._uow.buffer(INSERT_TRANSITIONS, _row(
                TRANSITION_ROW, codec.transition_values(lead_id, transition)))

    # -- not on the batch path -------------------------------------------------------------
    async def lock(self, studio: str, contact: str, now: datetime) -> Lead:
        self._uow.unsupported("leads.lock")

    async def lock_by_id(self, lead_id: str) -> Lead:
        self._uow.unsupported("leads.lock_by_id")

    async def get(self, lead_id: str) -> Lead | None:
        self._uow.unsupported("leads.get")

    async def answers(self, lead_id: str) -> list[Answer]:
        self._uow.unsupported("leads.answers")

    async def thread(self, lead_id: str, limit: int | None = None) -> list[ThreadEntry]:
        self._uow.unsupported("leads.thread")

    async def transitions(self, lead_id: str) -> list[Transition]:
        self._uow.unsupported("leads.transitions")

    async def list(self, studio: str | None = None, status: str | None = None,
                   limit: int = 50, offset: int = 0, search: str | None = None) -> list[Lead]:
        self._uow.unsupported("leads.list")

    async def counts(self, studio: str | None = None) -> dict[str, int]:
        self._uow.unsupported("leads.counts")


class PgBatchOutbox:
    """What the batch needs of :class:`~ports.outbox.Outbox`; the rest raises."""

    def __init__(self, uow: PgBatchUnitOfWork) -> None:
        self._uow = uow

    async def append(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        """One insert; the ids in the messages' order (the thread's outbound lines use them)."""
        if not messages:
            return []
        rows = [_row(OUTBOX_ROW, codec.outgoing_values(m, now)) for m in messages]
        inserted = await self._uow.write(APPEND, rows)  # with what is buffered
        self._uow.appended = True
        return sorted(row[0] for row in inserted)

    async def cancel_pending(self, lead_id: str, reason: str, keep: frozenset[str]) -> int:
        """STOP (B-8): the lead's pending client messages but ``keep``'s purposes."""
        connection = await self._uow.connection()
        status = await connection.execute(CANCEL_PENDING, *_scrubbed(
            [lead_id, reason, sorted(keep)]))
        return int(status.rsplit(" ", 1)[-1])

    # -- not on the batch path -------------------------------------------------------------
    async def claim(self, now: datetime, limit: int, lease: timedelta,
                    per_recipient: int = 1, *, commit: bool = False) -> list[OutboxItem]:
        self._uow.unsupported("outbox.claim")

    async def sent_then_next(self, sent: Sequence[tuple[int, str]], now: datetime,
                             rests: Sequence[Sequence[int]], *, commit: bool = False) -> set[int]:
        self._uow.unsupported("outbox.sent_then_next")

    async def renew(self, item_ids: Sequence[int], until: datetime) -> None:
        self._uow.unsupported("outbox.renew")

    async def release(self, item_ids: Sequence[int]) -> None:
        self._uow.unsupported("outbox.release")

    async def sendable(self, item_ids: Sequence[int]) -> set[int]:
        self._uow.unsupported("outbox.sendable")

    async def mark_sent(self, item_id: int, provider_message_id: str, now: datetime) -> None:
        self._uow.unsupported("outbox.mark_sent")

    async def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        self._uow.unsupported("outbox.mark_retry")

    async def mark_dead(self, item_id: int, error: str, now: datetime) -> None:
        self._uow.unsupported("outbox.mark_dead")

    async def mark_held(self, item_id: int, reason: str, now: datetime) -> None:
        self._uow.unsupported("outbox.mark_held")

    async def mark_cancelled(self, item_id: int, reason: str, now: datetime) -> None:
        self._uow.unsupported("outbox.mark_cancelled")

    async def record_delivery(self, provider_message_id: str, status: str, at: datetime,
                              error_code: int | None) -> OutboxItem | None:
        self._uow.unsupported("outbox.record_delivery")

    async def for_lead(self, lead_id: str) -> list[OutboxItem]:
        self._uow.unsupported("outbox.for_lead")

    async def pending_count(self) -> int:
        self._uow.unsupported("outbox.pending_count")

    async def release_held(self, lead_id: str) -> int:
        self._uow.unsupported("outbox.release_held")


class PgBatchPrivacy:
    """``opted_out_among`` (new leads of erased numbers that had opted out, B-40); the rest
    raises."""

    def __init__(self, uow: PgBatchUnitOfWork) -> None:
        self._uow = uow

    async def opted_out_among(self, keys: Sequence[str]) -> set[str]:
        """One look-up for all the batch's new leads (keys are hex digests: no NUL)."""
        if not keys:
            return set()
        connection = await self._uow.connection()
        return {row[0] for row in await connection.fetch(OPTED_OUT, sorted(set(keys)))}

    async def erase(self, lead_id: str, message_ids: Collection[str] = ()) -> None:
        self._uow.unsupported("privacy.erase")

    async def forget_delivered(self) -> int:
        self._uow.unsupported("privacy.forget_delivered")

    async def bookings(self, lead_id: str) -> list[dict[str, Any]]:
        self._uow.unsupported("privacy.bookings")

    async def remember_optout(self, key: str, studio: str, at: datetime) -> None:
        self._uow.unsupported("privacy.remember_optout")
