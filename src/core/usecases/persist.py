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
    ids = await uow.outbox.append(decision.outbound, now) if decision.outbound else []
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
    if entries:
        await uow.leads.add_thread(entries)
    return ids


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
