"""Writing a decision: lead, answers, thread, audit trail, events and outbox, one commit."""

from __future__ import annotations

from datetime import datetime

from core.domain.decision import Decision
from core.domain.events import Event
from core.domain.inbound import Inbound
from core.domain.optout import AFTER_OPTOUT, CANCEL_REASON, opted_out
from core.domain.outbound import CLIENT, plain_text
from ports.lead_repo import ThreadEntry
from ports.unit_of_work import UnitOfWork


def received(lead_id: str, inbound: Inbound) -> ThreadEntry:
    """The thread line of a client message."""
    return ThreadEntry(
        lead_id=lead_id,
        direction="in",
        text=inbound.text(),
        at=inbound.at,
        message_id=inbound.message_id,
        kind=type(inbound.content).__name__.lower(),
    )


async def apply(
    uow: UnitOfWork, decision: Decision, now: datetime, inbound: Inbound | None = None
) -> list[int]:
    """Stage everything a decision says; the caller commits. Returns the outbox ids."""
    await _stage(uow, decision, now)
    ids = await uow.outbox.append(decision.outbound, now) if decision.outbound else []
    entries = _thread(decision, inbound, ids, now)
    if entries:
        await uow.leads.add_thread(entries)
    return ids


class Staging:
    """:func:`apply` for many decisions in one unit of work (group commit).

    Each decision is staged in turn (lead, answers, transitions, events), and the
    outbox rows of all of them go in one append at :meth:`flush`, followed by one
    insert of their thread lines: the same rows, in the same order, as applying
    them one by one. A STOP flushes first, so the replies queued before it in this
    unit of work are there for it to cancel (B-8). The caller flushes, then commits.
    """

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now
        self._waiting: list[tuple[Decision, Inbound | None]] = []

    async def add(self, decision: Decision, inbound: Inbound | None = None) -> None:
        if opted_out(decision.lead.status):
            await self.flush()
        await _stage(self._uow, decision, self._now)
        self._waiting.append((decision, inbound))

    async def flush(self) -> None:
        waiting, self._waiting = self._waiting, []
        outbound = [message for decision, _ in waiting for message in decision.outbound]
        ids = await self._uow.outbox.append(outbound, self._now) if outbound else []
        entries: list[ThreadEntry] = []
        start = 0
        for decision, inbound in waiting:
            end = start + len(decision.outbound)
            entries.extend(_thread(decision, inbound, ids[start:end], self._now))
            start = end
        if entries:
            await self._uow.leads.add_thread(entries)


async def _stage(uow: UnitOfWork, decision: Decision, now: datetime) -> None:
    """Everything of a decision but its outbox rows and thread lines."""
    lead = decision.lead
    await uow.leads.save(lead)
    if decision.answers:
        await uow.leads.add_answers(lead.id, decision.answers)
    if decision.transitions:
        await uow.leads.add_transitions(lead.id, decision.transitions)
    for event in decision.events:
        await uow.record_event(event)
    if opted_out(lead.status):
        await _cancel_queued(uow, decision, now)


def _thread(
    decision: Decision, inbound: Inbound | None, ids: list[int], now: datetime
) -> list[ThreadEntry]:
    """The client's message, then what the client is sent (outbox ids as message ids)."""
    lead = decision.lead
    entries = [] if inbound is None else [received(lead.id, inbound)]
    entries.extend(
        ThreadEntry(
            lead_id=lead.id,
            direction="out",
            text=plain_text(message.intent),
            at=now,
            message_id=str(outbox_id),
            kind=message.purpose,
        )
        for outbox_id, message in zip(ids, decision.outbound, strict=True)
        if message.audience == CLIENT
    )
    return entries


async def _cancel_queued(uow: UnitOfWork, decision: Decision, now: datetime) -> None:
    """STOP: what was queued for the client before it is never sent (B-8)."""
    lead = decision.lead
    cancelled = await uow.outbox.cancel_pending(lead.id, CANCEL_REASON, AFTER_OPTOUT)
    if cancelled:
        await uow.record_event(
            Event(
                kind="outbox_cancelled",
                at=now,
                lead_id=lead.id,
                studio=lead.studio,
                level="info",
                detail={"count": cancelled, "reason": CANCEL_REASON},
            )
        )
