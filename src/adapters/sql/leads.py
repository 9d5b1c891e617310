"""SqlLeadRepo: leads, their answers, thread and audit trail (B-6, B-46)."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from adapters.sql import codec
from adapters.sql.tables import answers, leads, messages, transitions
from adapters.sql.tx import Transaction
from core.domain.lead import Answer, Lead, new_lead
from core.domain.status import Transition
from ports.clock import Clock
from ports.lead_repo import LeadNotFound, ThreadEntry


def new_lead_id() -> str:
    return uuid.uuid4().hex


# The hot path's statements, built once: a message decides in a few round trips and
# SQLAlchemy should not rebuild and re-key each statement on every call.
_SNAPSHOT = sa.select(leads.c.version, leads.c.snapshot)
LOCK_BY_CONTACT = _SNAPSHOT.where(
    (leads.c.studio == sa.bindparam("studio")) & (leads.c.contact == sa.bindparam("contact"))
).with_for_update()
LOCK_BY_ID = _SNAPSHOT.where(leads.c.id == sa.bindparam("lead_id")).with_for_update()
GET_BY_ID = _SNAPSHOT.where(leads.c.id == sa.bindparam("lead_id"))
# Group commit: many leads in one statement, locked in one stable order (no deadlocks
# between batches: the row locks are taken as the sorted rows come out).
LOCK_MANY = (
    _SNAPSHOT.where(
        sa.tuple_(leads.c.studio, leads.c.contact).in_(sa.bindparam("contacts", expanding=True))
    )
    .order_by(leads.c.studio, leads.c.contact)
    .with_for_update()
)
SAVED_COLUMNS = ("studio", "contact", "status", "step", "name", "handover_reason",
                 "created_at", "updated_at", "last_client_message_at", "snapshot",
                 "erased_at")  # issue 10
SAVE = (
    sa.update(leads)
    .where(leads.c.id == sa.bindparam("lead_id"))
    .values(version=leads.c.version + 1,
            **{c: sa.bindparam(f"v_{c}", type_=leads.c[c].type) for c in SAVED_COLUMNS})
)
INSERT_ANSWERS = sa.insert(answers)
INSERT_MESSAGES = sa.insert(messages)
INSERT_TRANSITIONS = sa.insert(transitions)


Contacts = Sequence[tuple[str, str]]


async def lock_or_insert(
    contacts: Contacts, now: datetime,
    lock: Callable[[Contacts], Awaitable[dict[tuple[str, str], Lead]]],
    insert: Callable[[list[Lead]], Awaitable[set[str]]],
    locked: set[str],
) -> dict[tuple[str, str], Lead]:
    """``lock_many`` of both SQL paths: ``lock`` (``SELECT ... FOR UPDATE``) the wanted
    contacts in (studio, contact) order, ``insert`` the missing as fresh leads (in that
    order too; it returns the ids it inserted: ours, locked, invisible to others until
    commit), then lock the few whose twin another transaction committed first."""
    wanted = sorted(set(contacts))
    found = await lock(wanted)
    missing = [key for key in wanted if key not in found]
    if missing:
        fresh = {key: new_lead(new_lead_id(), *key, now) for key in missing}
        inserted = await insert(list(fresh.values()))
        for key, lead in fresh.items():
            if lead.id in inserted:
                found[key] = lead
                locked.add(lead.id)
        twins = [key for key in fresh if key not in found]
        if twins:
            found.update(await lock(twins))
    if len(found) != len(wanted):  # pragma: no cover - a conflict means the row exists
        raise LeadNotFound(", ".join(f"{s}/{c}" for s, c in wanted if (s, c) not in found))
    return found


class SqlLeadRepo:
    def __init__(self, tx: Transaction, clock: Clock) -> None:
        self._tx = tx
        self._clock = clock

    async def lock(self, studio: str, contact: str, now: datetime) -> Lead:
        """Find or create, then ``SELECT ... FOR UPDATE`` (B-6).

        Concurrent first messages of one contact all try the insert; the unique
        (studio, contact) index makes the others wait for the first to commit and
        then do nothing, so exactly one lead is created. On SQLite the whole unit of
        work already holds the write lock.
        """
        where = {"studio": studio, "contact": contact}
        lead = await self._one(LOCK_BY_CONTACT, where)
        if lead is not None:
            return lead
        fresh = new_lead(new_lead_id(), studio, contact, now)
        insert = self._tx.insert_ignoring_conflicts(leads, "studio", "contact")
        values = codec.lead_values(fresh, now)
        inserted = await self._tx.execute(insert.values(id=fresh.id, version=0, **values))
        if inserted.rowcount == 1:
            self._tx.locked.add(fresh.id)
            return fresh  # ours, invisible to others until commit
        lead = await self._one(LOCK_BY_CONTACT, where)  # a twin was committed first: lock it
        if lead is None:  # pragma: no cover - the conflict means the row exists
            raise LeadNotFound(f"{studio}/{contact}")
        return lead

    async def lock_many(
        self, contacts: Sequence[tuple[str, str]], now: datetime
    ) -> dict[tuple[str, str], Lead]:
        """:meth:`lock` for many: one ``SELECT ... FOR UPDATE`` in (studio, contact) order,
        one multi-row insert of the new leads (in that order too), and a second lock of
        the few whose twin another transaction committed meanwhile."""
        async def insert(fresh: list[Lead]) -> set[str]:
            rows = [{"id": lead.id, "version": 0, **codec.lead_values(lead, now)}
                    for lead in fresh]
            statement = self._tx.insert_ignoring_conflicts(leads, "studio", "contact")
            return set((await self._tx.execute(statement.returning(leads.c.id), rows)).scalars())

        return await lock_or_insert(contacts, now, self._many, insert, self._tx.locked)

    async def _many(self, contacts: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Lead]:
        result = await self._tx.execute(LOCK_MANY, {"contacts": list(contacts)})
        locked = {}
        for row in result.mappings():
            lead = codec.lead_from_row(row)
            locked[(lead.studio, lead.contact)] = lead
            self._tx.locked.add(lead.id)
        return locked

    async def lock_by_id(self, lead_id: str) -> Lead:
        lead = await self._one(LOCK_BY_ID, {"lead_id": lead_id})
        if lead is None:
            raise LeadNotFound(lead_id)
        self._tx.locked.add(lead.id)
        return lead

    async def get(self, lead_id: str) -> Lead | None:
        return await self._one(GET_BY_ID, {"lead_id": lead_id})

    async def save(self, lead: Lead) -> None:
        values = codec.lead_values(lead, self._clock.now())
        params = {"lead_id": lead.id, **{f"v_{c}": values[c] for c in SAVED_COLUMNS}}
        if lead.id in self._tx.locked:  # the row is there and ours: sent with the next batch
            self._tx.defer(SAVE, params, commutes=True)
            return
        if (await self._tx.execute(SAVE, params)).rowcount == 0:
            insert = sa.insert(leads).values(id=lead.id, version=lead.version + 1, **values)
            await self._tx.execute(insert)

    async def add_answers(self, lead_id: str, answers_: Sequence[Answer]) -> None:
        if answers_:
            for answer in answers_:
                self._tx.defer(INSERT_ANSWERS, codec.answer_values(lead_id, answer),
                               commutes=True)

    async def answers(self, lead_id: str) -> builtins.list[Answer]:
        query = sa.select(answers).where(answers.c.lead_id == lead_id).order_by(answers.c.id)
        return [codec.answer_from_row(row) for row in (await self._tx.execute(query)).mappings()]

    async def add_thread(self, entries: Sequence[ThreadEntry]) -> None:
        if entries:
            for entry in entries:
                self._tx.defer(INSERT_MESSAGES, codec.thread_values(entry), commutes=True)

    async def thread(self, lead_id: str, limit: int | None = None) -> builtins.list[ThreadEntry]:
        query = sa.select(messages).where(messages.c.lead_id == lead_id)
        if limit is None:
            query = query.order_by(messages.c.id)
        else:
            query = query.order_by(messages.c.id.desc()).limit(limit)
        rows = [codec.thread_from_row(row) for row in (await self._tx.execute(query)).mappings()]
        return rows if limit is None else rows[::-1]

    async def add_transitions(self, lead_id: str, transitions_: Sequence[Transition]) -> None:
        if transitions_:
            for transition in transitions_:
                self._tx.defer(INSERT_TRANSITIONS, codec.transition_values(lead_id, transition),
                               commutes=True)

    async def transitions(self, lead_id: str) -> builtins.list[Transition]:
        query = (
            sa.select(transitions)
            .where(transitions.c.lead_id == lead_id)
            .order_by(transitions.c.id)
        )
        result = await self._tx.execute(query)
        return [codec.transition_from_row(row) for row in result.mappings()]

    async def list(
        self,
        studio: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
        search: str | None = None,
    ) -> builtins.list[Lead]:
        """Newest first (B-46: pass ``studio`` to see one studio's leads only)."""
        query = self._select()
        if studio is not None:
            query = query.where(leads.c.studio == studio)
        if status is not None:
            query = query.where(leads.c.status == status)
        if search:
            query = query.where(
                sa.func.lower(leads.c.name).contains(search.lower(), autoescape=True)
                | leads.c.contact.contains(search, autoescape=True)
            )
        query = query.order_by(leads.c.created_at.desc(), leads.c.id.desc())
        result = await self._tx.execute(query.limit(limit).offset(offset))
        return [codec.lead_from_row(row) for row in result.mappings()]

    async def counts(self, studio: str | None = None) -> dict[str, int]:
        query = sa.select(leads.c.status, sa.func.count()).group_by(leads.c.status)
        if studio is not None:
            query = query.where(leads.c.studio == studio)
        return {status: count for status, count in (await self._tx.execute(query)).all()}

    @staticmethod
    def _select() -> sa.Select[tuple[int, object]]:
        return sa.select(leads.c.version, leads.c.snapshot)

    async def _one(self, statement: Any, params: dict[str, str]) -> Lead | None:
        row = (await self._tx.execute(statement, params)).mappings().first()
        return None if row is None else codec.lead_from_row(row)
