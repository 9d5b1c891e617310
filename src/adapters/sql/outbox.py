"""SqlOutbox: outbound messages committed with their cause, claimed per recipient (B-25, B-26)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.sql import codec
from adapters.sql.columns import UtcDateTime
from adapters.sql.tables import leads, outbox
from adapters.sql.tx import Transaction
from core.domain.outbound import CLIENT, Outgoing
from core.domain.status import Status
from ports.outbox import CANCELLED, DEAD, HELD, PENDING, SENT, OutboxItem

# Provider delivery statuses only move forward; "failed" is final (B-27).
DELIVERY_RANK = {"sent": 1, "delivered": 2, "read": 3}
FAILED = "failed"


# ``state = 'pending'`` written out, not a parameter: the partial indexes' predicate,
# which a prepared statement's generic plan can only match against a literal.
PENDING_LITERAL = sa.literal_column(f"'{PENDING}'")


def _pending(row: Any) -> Any:
    return row.c.state == PENDING_LITERAL


def _now() -> Any:
    return sa.bindparam("now", type_=UtcDateTime)


def _free(row: Any) -> Any:
    """Due and nobody's lease on it (``:now``)."""
    now = _now()
    return sa.and_(
        sa.or_(row.c.next_attempt_at.is_(None), row.c.next_attempt_at <= now),
        sa.or_(row.c.claimed_until.is_(None), row.c.claimed_until < now),
    )


def _any(ids: Any) -> Any:
    """``= ANY((SELECT array_agg(id) ...))`` (PostgreSQL): the ids computed first, once,
    then looked up by primary key. ``IN (subquery)`` would let the planner, which
    cannot estimate a recursive scan, hash-join it against every row of the table."""
    found = ids.subquery()
    ids_array = sa.select(sa.func.array_agg(found.c.id)).scalar_subquery()
    return sa.any_(sa.cast(ids_array, ARRAY(sa.BigInteger)))


def _heads_by_recipient() -> Any:
    """The oldest pending message of each recipient (with when it is due and its lease),
    one index descent per recipient.

    A loose index scan of ``ix_outbox_recipient_id_pending`` (PostgreSQL has no skip
    scan): from each recipient's head to the next recipient's, so the cost follows the
    number of recipients with something pending, not the rows queued behind them.
    """
    later = outbox.alias("later")
    first = (
        sa.select(outbox.c.recipient, outbox.c.id, outbox.c.next_attempt_at,
                  outbox.c.claimed_until)
        .where(_pending(outbox))
        .order_by(outbox.c.recipient, outbox.c.id)
        .limit(sa.literal_column("1"))
    )
    heads = first.cte("heads", recursive=True)
    step = (
        sa.select(later.c.recipient, later.c.id, later.c.next_attempt_at, later.c.claimed_until)
        .where(_pending(later), later.c.recipient > heads.c.recipient)
        .order_by(later.c.recipient, later.c.id)
        .limit(sa.literal_column("1"))
        .lateral("step")
    )
    return heads.union_all(
        sa.select(step.c.recipient, step.c.id, step.c.next_attempt_at, step.c.claimed_until)
        .select_from(heads).join(step, sa.true())
    )


def _claim_statement(dialect: str) -> Any:
    """One statement: lease the oldest pending message of each free recipient.

    A row is deliverable when it is due, nobody holds its lease, and no older
    message to the same recipient is still pending (B-26): retries and messages
    leased elsewhere hold back the ones behind them. ``SKIP LOCKED`` lets
    several relays claim side by side on PostgreSQL (SQLite ignores it; its
    writers are serialised). Parameters: ``now``, ``until`` (the lease's end),
    ``limit`` (recipients); built once per dialect.

    PostgreSQL finds the heads recipient by recipient (:func:`_heads_by_recipient`),
    so a long queue to one number (the artist's) or heads leased by passes in flight
    cost one probe each, not a walk of every row behind them. SQLite walks pending
    rows oldest first and asks of each whether an older one is pending.
    """
    candidate = outbox.alias("candidate")
    if dialect == "postgresql":
        heads = _heads_by_recipient()  # only the free ones are looked up again
        head = candidate.c.id == _any(sa.select(heads.c.id).where(_free(heads)))
    else:
        older = outbox.alias("older")
        head = ~sa.exists().where(
            older.c.recipient == candidate.c.recipient,
            _pending(older),
            older.c.id < candidate.c.id,
        )
    deliverable = (
        sa.select(candidate.c.id)
        .where(_pending(candidate), _free(candidate), head)
        .order_by(candidate.c.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .with_for_update(skip_locked=True)
    )
    chosen = _any(deliverable) if dialect == "postgresql" else None
    claim = (
        sa.update(outbox)
        .where(outbox.c.id.in_(deliverable) if chosen is None else outbox.c.id == chosen)
        .values(claimed_until=sa.bindparam("until", type_=UtcDateTime))
        .returning(*_claimed_row_columns())
    )
    return _with_followers(claim) if dialect == "postgresql" else claim


def _with_followers(claim: Any) -> Any:
    """The claim of the heads, then in the same statement the messages queued behind each
    claimed head, ``:behind`` per recipient at most, each run stopping at the first one
    not due or leased (never skipping one, B-26).

    Nobody else takes these: another relay only starts a recipient at its head, which
    this statement locks and leases. Every part sees the rows as the statement starts:
    the followers are read before the heads' lease, which they do not need.
    """
    heads = claim.cte("claimed")
    queued = outbox.alias("queued")
    behind = (
        sa.select(queued.c.id, queued.c.next_attempt_at, queued.c.claimed_until)
        .where(queued.c.recipient == heads.c.recipient, _pending(queued),
               queued.c.id > heads.c.id)
        .order_by(queued.c.id)
        .limit(sa.bindparam("behind", type_=sa.Integer))
        .lateral("behind")
    )
    free = sa.and_(
        sa.or_(behind.c.next_attempt_at.is_(None), behind.c.next_attempt_at <= _now()),
        sa.or_(behind.c.claimed_until.is_(None), behind.c.claimed_until < _now()),
    )
    run = sa.func.bool_and(free).over(partition_by=heads.c.id, order_by=behind.c.id)
    followers = (
        sa.select(behind.c.id, run.label("in_run"))
        .select_from(heads).join(behind, sa.true())
        .subquery("followers")
    )
    leased = (
        sa.update(outbox)
        .where(outbox.c.id == _any(sa.select(followers.c.id).where(followers.c.in_run)),
               _pending(outbox))
        .values(claimed_until=sa.bindparam("until", type_=UtcDateTime))
        .returning(*_claimed_row_columns())
        .cte("leased")
    )
    return sa.union_all(sa.select(heads), sa.select(leased))


CLAIMS: dict[str, Any] = {}  # dialect -> its claim statement, built on first use


def claim_statement(dialect: str) -> Any:
    statement = CLAIMS.get(dialect)
    if statement is None:
        statement = CLAIMS[dialect] = _claim_statement(dialect)
    return statement


def _mark(**values: Any) -> Any:
    """A prepared update of one row by id (``:item``) that also drops its lease."""
    where = outbox.c.id == sa.bindparam("item")
    return sa.update(outbox).where(where).values(claimed_until=None, **values)


def _param(name: str, kind: Any = sa.Text) -> Any:
    """A named parameter (not a column's name: those are taken in an UPDATE's SET)."""
    return sa.bindparam(name, type_=kind)


APPEND = sa.insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
MARK_SENT = _mark(
    state=SENT,
    provider_message_id=_param("provider_id"),
    sent_at=_param("at", UtcDateTime),
)
MARK_RETRY = _mark(
    attempts=outbox.c.attempts + 1,
    last_error=_param("error"),
    next_attempt_at=_param("due", UtcDateTime),
)
MARK_DEAD = _mark(state=DEAD, last_error=_param("error"))
MARK_HELD = _mark(state=HELD, last_error=_param("error"))
MARK_CANCELLED = _mark(state=CANCELLED, last_error=_param("error"))


def _claimed_row_columns() -> list[Any]:
    """Every column of a claimed row, plus what the relay reads at claim time (B-8, B-28)."""
    last_seen = (
        sa.select(leads.c.last_client_message_at)
        .where(leads.c.id == outbox.c.lead_id)
        .scalar_subquery()
    )
    client_last_seen = sa.case((outbox.c.audience == CLIENT, last_seen), else_=sa.null())
    return [*outbox.c, client_last_seen.label("client_last_seen"),
            _opted_out().label("client_opted_out")]


def _opted_out() -> Any:
    """Read at claim time, not queue time: a STOP committed since then wins (B-8)."""
    opted_out = sa.exists().where(
        leads.c.id == outbox.c.lead_id, leads.c.status == str(Status.OPTOUT)
    )
    return sa.and_(outbox.c.audience == CLIENT, opted_out)


def _ids(name: str = "ids") -> Any:
    return sa.bindparam(name, expanding=True)


def _followers() -> Any:
    """SQLite: the pending messages behind each claimed head, ``:behind`` per recipient at
    most (PostgreSQL claims them in the claim's own statement, :func:`_with_followers`)."""
    rank = sa.func.row_number().over(partition_by=outbox.c.recipient, order_by=outbox.c.id)
    queued = (
        sa.select(outbox.c.id, outbox.c.recipient, outbox.c.next_attempt_at,
                  outbox.c.claimed_until, rank.label("position"))
        .where(outbox.c.recipient.in_(_ids("recipients")), outbox.c.state == PENDING,
               outbox.c.id.not_in(_ids("heads")))
        .subquery("queued")
    )
    return (
        sa.select(queued.c.id, queued.c.recipient, queued.c.next_attempt_at,
                  queued.c.claimed_until)
        .where(queued.c.position <= sa.bindparam("behind"))
        .order_by(queued.c.recipient, queued.c.id)
    )


FOLLOWERS = _followers()
LEASE_FOLLOWERS = (
    sa.update(outbox)
    .where(outbox.c.id.in_(_ids()), outbox.c.state == PENDING)
    .values(claimed_until=sa.bindparam("until", type_=UtcDateTime))
    .returning(*_claimed_row_columns())
)
RENEW = (
    sa.update(outbox)
    .where(outbox.c.id.in_(_ids()), outbox.c.state == PENDING)
    .values(claimed_until=sa.bindparam("until", type_=UtcDateTime))
)
RELEASE = (
    sa.update(outbox)
    .where(outbox.c.id.in_(_ids()), outbox.c.state == PENDING)
    .values(claimed_until=None)
)
SENDABLE = sa.select(outbox.c.id).where(
    outbox.c.id.in_(_ids()), outbox.c.state == PENDING, sa.not_(_opted_out())
)


def _array(name: str, kind: Any = sa.BigInteger) -> Any:
    return sa.bindparam(name, type_=ARRAY(kind))


def _sent_then_next(one: bool) -> Any:
    """PostgreSQL, one statement: mark messages sent and return which of the next ones
    (``:firsts``) may go (:data:`SENDABLE`); both parts see the database as the
    statement starts, so a STOP committed before it stops its chain (B-8).

    ``one``: a single message (``:sent``, ``:provider_id``, ``:first``, None at the end
    of its chain), the usual group when one chain sends alone: with scalar parameters
    PostgreSQL keeps one generic plan for it, where the arrays of the general form
    (``:sent``, ``:provider_ids``, ``:firsts``) have it plan every execution again.
    """
    update = sa.update(outbox)
    if one:
        update = update.where(outbox.c.id == sa.bindparam("sent", type_=sa.BigInteger))
        provider_id: Any = sa.bindparam("provider_id", type_=sa.Text)
        first = outbox.c.id == sa.bindparam("first", type_=sa.BigInteger)
    else:
        done = (sa.func.unnest(_array("sent"), _array("provider_ids", sa.Text))
                .table_valued("id", "provider_id").render_derived(name="done"))
        update = update.where(outbox.c.id == done.c.id)
        provider_id = done.c.provider_id
        first = outbox.c.id == sa.any_(_array("firsts"))
    marked = update.values(
        state=sa.literal_column(f"'{SENT}'"), provider_message_id=provider_id,
        sent_at=sa.bindparam("at", type_=UtcDateTime), claimed_until=sa.null(),
    ).cte("marked")
    return (sa.select(outbox.c.id).where(first, _pending(outbox), sa.not_(_opted_out()))
            .add_cte(marked))


SENT_ONE_THEN_NEXT = _sent_then_next(one=True)
SENT_THEN_NEXT = _sent_then_next(one=False)


class SqlOutbox:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        self.appended = False  # whether this transaction queued anything (to wake relays)

    async def append(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        if not messages:
            return []
        rows = [codec.outgoing_values(message, now) for message in messages]
        # One prebuilt statement (compiled once), ids returned in the rows' order.
        ids = list((await self._tx.execute(APPEND, rows)).scalars())
        self.appended = True
        return ids

    async def _run(self, statement: Any, values: dict[str, Any], commit: bool) -> list[Any]:
        """The rows of one statement; with ``commit`` it is the whole unit of work, run on
        its own (autocommit: one round trip, no BEGIN or COMMIT)."""
        if commit:
            return await self._tx.execute_alone(statement, values)
        return list((await self._tx.execute(statement, values)).mappings())

    async def claim(
        self, now: datetime, limit: int, lease: timedelta, per_recipient: int = 1,
        *, commit: bool = False,
    ) -> list[OutboxItem]:
        statement = claim_statement(self._tx.dialect)
        values = {"now": now, "until": now + lease, "limit": limit}
        if self._tx.dialect == "postgresql":  # heads and followers in one statement
            values["behind"] = per_recipient - 1
            rows = list(await self._run(statement, values, commit))
        else:
            rows = list((await self._tx.execute(statement, values)).mappings())
            if per_recipient > 1 and rows:
                rows += await self._claim_followers(rows, now, per_recipient - 1, lease)
        rows.sort(key=lambda row: row["id"])
        return [
            codec.outbox_item_from_row(
                row, row["client_last_seen"], client_opted_out=bool(row["client_opted_out"])
            )
            for row in rows
        ]

    async def _claim_followers(
        self, heads: list[Any], now: datetime, behind: int, lease: timedelta
    ) -> list[Any]:
        """SQLite: the messages queued behind the claimed heads, up to ``behind`` per
        recipient: each recipient's run stops at the first one not due or leased.

        Nobody else takes these: another relay only starts a recipient at its head, which
        this transaction has locked and leased (B-26).
        """
        recipients = sorted({row["recipient"] for row in heads})
        found = await self._tx.execute(FOLLOWERS, {"recipients": recipients, "behind": behind,
                                                   "heads": [row["id"] for row in heads]})
        chosen: list[int] = []
        stopped: set[str] = set()
        for row in found:  # ordered by recipient, then id
            recipient = row.recipient
            if recipient in stopped:
                continue
            due = row.next_attempt_at is None or row.next_attempt_at <= now
            free = row.claimed_until is None or row.claimed_until < now
            if due and free:
                chosen.append(row.id)
            else:
                stopped.add(recipient)  # never skip over a message (B-26)
        if not chosen:
            return []
        leased = await self._tx.execute(LEASE_FOLLOWERS, {"ids": chosen, "until": now + lease})
        return list(leased.mappings())

    async def renew(self, item_ids: Sequence[int], until: datetime) -> None:
        if item_ids:
            await self._tx.execute(RENEW, {"ids": list(item_ids), "until": until})

    async def release(self, item_ids: Sequence[int]) -> None:
        if item_ids:
            await self._tx.execute(RELEASE, {"ids": list(item_ids)})

    async def sendable(self, item_ids: Sequence[int]) -> set[int]:
        if not item_ids:
            return set()
        return set((await self._tx.execute(SENDABLE, {"ids": list(item_ids)})).scalars())

    async def sent_then_next(
        self, sent: Sequence[tuple[int, str]], now: datetime, rests: Sequence[Sequence[int]],
        *, commit: bool = False,
    ) -> set[int]:
        if self._tx.dialect != "postgresql":
            for item_id, provider_message_id in sent:
                await self.mark_sent(item_id, provider_message_id, now)
            ready = await self.sendable([rest[0] for rest in rests if rest])
            await self.release([i for rest in rests if rest and rest[0] not in ready
                                for i in rest])
            return ready
        firsts = [rest[0] for rest in rests if rest]
        if len(sent) == 1:
            (item_id, provider_message_id), = sent
            statement = SENT_ONE_THEN_NEXT
            values: dict[str, Any] = {"sent": item_id, "provider_id": provider_message_id,
                                      "at": now, "first": firsts[0] if firsts else None}
        else:
            statement = SENT_THEN_NEXT
            values = {"sent": [item_id for item_id, _ in sent],
                      "provider_ids": [provider_id for _, provider_id in sent],
                      "at": now, "firsts": firsts}
        ready = {row["id"] for row in await self._run(statement, values, commit)}
        stopped = [i for rest in rests if rest and rest[0] not in ready for i in rest]
        if stopped:  # rare (a STOP or a cancellation mid-chain): a statement of its own
            if commit:
                await self._tx.execute_alone(RELEASE, {"ids": stopped})
            else:
                await self.release(stopped)
        return ready

    # The relay marks what completed together: deferred, one executemany each.
    async def mark_sent(self, item_id: int, provider_message_id: str, now: datetime) -> None:
        values = {"item": item_id, "provider_id": provider_message_id, "at": now}
        self._tx.defer(MARK_SENT, values)

    async def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        values = {"item": item_id, "error": error, "due": next_attempt_at}
        self._tx.defer(MARK_RETRY, values)

    async def mark_dead(self, item_id: int, error: str, now: datetime) -> None:
        self._tx.defer(MARK_DEAD, {"item": item_id, "error": error})

    async def mark_held(self, item_id: int, reason: str, now: datetime) -> None:
        self._tx.defer(MARK_HELD, {"item": item_id, "error": reason})

    async def mark_cancelled(self, item_id: int, reason: str, now: datetime) -> None:
        self._tx.defer(MARK_CANCELLED, {"item": item_id, "error": reason})

    async def cancel_pending(self, lead_id: str, reason: str, keep: frozenset[str]) -> int:
        update = (
            sa.update(outbox)
            .where(
                outbox.c.lead_id == lead_id,
                outbox.c.audience == CLIENT,
                outbox.c.state == PENDING,
                outbox.c.purpose.not_in(sorted(keep)),
            )
            .values(state=CANCELLED, last_error=reason)
        )
        return int((await self._tx.execute(update)).rowcount or 0)

    async def record_delivery(
        self, provider_message_id: str, status: str, at: datetime, error_code: int | None
    ) -> OutboxItem | None:
        query = (
            sa.select(outbox)
            .where(outbox.c.provider_message_id == provider_message_id)
            .order_by(outbox.c.id)
            .limit(1)
            .with_for_update()
        )
        row = (await self._tx.execute(query)).mappings().first()
        if row is None:
            return None
        current = row["delivery"]
        forward = DELIVERY_RANK.get(status, 0) > DELIVERY_RANK.get(current or "", 0)
        if current == FAILED or not (status == FAILED or forward):
            return codec.outbox_item_from_row(row)
        changes: dict[str, Any] = {"delivery": status, "delivery_at": at}
        if status == FAILED:
            changes["last_error"] = f"delivery failed ({error_code})"
        update = sa.update(outbox).where(outbox.c.id == row["id"]).values(**changes)
        await self._tx.execute(update)
        return codec.outbox_item_from_row({**row, **changes})

    async def for_lead(self, lead_id: str) -> list[OutboxItem]:
        query = sa.select(outbox).where(outbox.c.lead_id == lead_id).order_by(outbox.c.id)
        result = await self._tx.execute(query)
        return [codec.outbox_item_from_row(row) for row in result.mappings()]

    async def pending_count(self) -> int:
        query = sa.select(sa.func.count()).select_from(outbox).where(outbox.c.state == PENDING)
        return int((await self._tx.execute(query)).scalar_one())

    async def release_held(self, lead_id: str) -> int:
        release = (
            sa.update(outbox)
            .where(outbox.c.lead_id == lead_id, outbox.c.state == HELD)
            .values(state=PENDING, next_attempt_at=None, claimed_until=None)
            .returning(outbox.c.id)
        )
        released = len((await self._tx.execute(release)).all())
        self.appended = self.appended or released > 0  # wake the relays on commit
        return released
