"""SqlLeadRepo: leads, their answers, thread and audit trail (B-6, B-46)."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence
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
            return fresh  # ours, invisible to others until commit
        lead = await self._one(LOCK_BY_CONTACT, where)  # a twin was committed first: lock it
        if lead is None:  # pragma: no cover - the conflict means the row exists
            raise LeadNotFound(f"{studio}/{contact}")
        return lead

    async def lock_by_id(self, lead_id: str) -> Lead:
        lead = await self._one(LOCK_BY_ID, {"lead_id": lead_id})
        if lead is None:
            raise LeadNotFound(lead_id)
        return lead

    async def get(self, lead_id: str) -> Lead | None:
        return await self._one(GET_BY_ID, {"lead_id": lead_id})

    async def save(self, lead: Lead) -> None:
        values = codec.lead_values(lead, self._clock.now())
        params = {"lead_id": lead.id, **{f"v_{c}": values[c] for c in SAVED_COLUMNS}}
        if (await self._tx.execute(SAVE, params)).rowcount == 0:
            insert = sa.insert(leads).values(id=lead.id, version=lead.version + 1, **values)
            await self._tx.execute(insert)

    async def add_answers(self, lead_id: str, answers_: Sequence[Answer]) -> None:
        if answers_:
            rows = [codec.answer_values(lead_id, answer) for answer in answers_]
            await self._tx.execute(INSERT_ANSWERS, rows)

    async def answers(self, lead_id: str) -> builtins.list[Answer]:
        query = sa.select(answers).where(answers.c.lead_id == lead_id).order_by(answers.c.id)
        return [codec.answer_from_row(row) for row in (await self._tx.execute(query)).mappings()]

    async def add_thread(self, entries: Sequence[ThreadEntry]) -> None:
        if entries:
            rows = [codec.thread_values(entry) for entry in entries]
            await self._tx.execute(INSERT_MESSAGES, rows)

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
            rows = [codec.transition_values(lead_id, t) for t in transitions_]
            await self._tx.execute(INSERT_TRANSITIONS, rows)

    async def transitions(self, lead_id: str) -> builtins.list[Transition]:
        query = (
            sa.select(transitions)
            .where(transitions.c.lead_id == lead_id)
            .order_by(transitions.c.id)
        )
        result = await self._tx.execute(query)
        return [codec.transition_from_row(row) for row in result.mappings()]

    async def list(
        self, studio: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> builtins.list[Lead]:
        """Newest first (B-46: pass ``studio`` to see one studio's leads only)."""
        query = self._select()
        if studio is not None:
            query = query.where(leads.c.studio == studio)
        if status is not None:
            query = query.where(leads.c.status == status)
        query = query.order_by(leads.c.created_at.desc(), leads.c.id.desc())
        result = await self._tx.execute(query.limit(limit).offset(offset))
        return [codec.lead_from_row(row) for row in result.mappings()]

    @staticmethod
    def _select() -> sa.Select[tuple[int, object]]:
        return sa.select(leads.c.version, leads.c.snapshot)

    async def _one(self, statement: Any, params: dict[str, str]) -> Lead | None:
        row = (await self._tx.execute(statement, params)).mappings().first()
        return None if row is None else codec.lead_from_row(row)
