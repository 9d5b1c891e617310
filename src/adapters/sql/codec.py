"""Explicit row <-> struct mapping; JSON columns hold msgspec builtins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from core.domain.events import Event
from core.domain.lead import Answer, Lead
from core.domain.outbound import Outgoing
from core.domain.status import Transition
from ports.lead_repo import ThreadEntry
from ports.outbox import PENDING, OutboxItem

Row = Mapping[str, Any]


def lead_values(lead: Lead, now: datetime) -> dict[str, Any]:
    """The snapshot and its query columns (``version`` is the caller's business)."""
    return {
        "studio": lead.studio,
        "contact": lead.contact,
        "status": lead.status,
        "step": lead.step,
        "name": lead.name,
        "handover_reason": lead.handover_reason,
        "created_at": lead.times.created,
        "updated_at": now,
        "last_client_message_at": lead.times.last_client_message,
        "snapshot": msgspec.to_builtins(lead),
        "erased_at": lead.times.erased,  # issue 10
    }


def lead_from_row(row: Row) -> Lead:
    lead = msgspec.convert(row["snapshot"], Lead)
    if lead.version == row["version"]:
        return lead
    return msgspec.structs.replace(lead, version=row["version"])


def answer_values(lead_id: str, answer: Answer) -> dict[str, Any]:
    return {
        "lead_id": lead_id,
        "key": answer.key,
        "text": answer.text,
        "message_id": answer.message_id,
        "at": answer.at,
        "value": msgspec.to_builtins(answer.value),
        "media": list(answer.media),
    }


def answer_from_row(row: Row) -> Answer:
    return Answer(
        key=row["key"],
        text=row["text"],
        message_id=row["message_id"],
        at=row["at"],
        value=row["value"],
        media=tuple(row["media"] or ()),
    )


def thread_values(entry: ThreadEntry) -> dict[str, Any]:
    return {
        "lead_id": entry.lead_id,
        "direction": entry.direction,
        "text": entry.text,
        "at": entry.at,
        "message_id": entry.message_id,
        "kind": entry.kind,
    }


def thread_from_row(row: Row) -> ThreadEntry:
    return ThreadEntry(
        lead_id=row["lead_id"],
        direction=row["direction"],
        text=row["text"],
        at=row["at"],
        message_id=row["message_id"],
        kind=row["kind"],
    )


def transition_values(lead_id: str, transition: Transition) -> dict[str, Any]:
    return {"lead_id": lead_id, **msgspec.structs.asdict(transition)}


def transition_from_row(row: Row) -> Transition:
    return Transition(
        source=row["source"],
        target=row["target"],
        reason=row["reason"],
        actor=row["actor"],
        at=row["at"],
    )


def event_values(event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "at": event.at,
        "lead_id": event.lead_id,
        "studio": event.studio,
        "level": event.level,
        "detail": msgspec.to_builtins(event.detail),
    }


def event_from_row(row: Row) -> Event:
    return Event(
        kind=row["kind"],
        at=row["at"],
        lead_id=row["lead_id"],
        studio=row["studio"],
        level=row["level"],
        detail=row["detail"] or {},
    )


def outgoing_values(message: Outgoing, now: datetime) -> dict[str, Any]:
    return {
        "lead_id": message.lead_id,
        "studio": message.studio,
        "recipient": message.to,
        "audience": message.audience,
        "purpose": message.purpose,
        "payload": msgspec.to_builtins(message),
        "state": PENDING,
        "attempts": 0,
        "created_at": now,
    }


def outbox_item_from_row(
    row: Row, client_last_seen: datetime | None = None, client_opted_out: bool = False
) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        message=msgspec.convert(row["payload"], Outgoing),
        created_at=row["created_at"],
        attempts=row["attempts"],
        state=row["state"],
        next_attempt_at=row["next_attempt_at"],
        provider_message_id=row["provider_message_id"],
        last_error=row["last_error"],
        delivery=row["delivery"],
        client_last_seen=client_last_seen,
        client_opted_out=client_opted_out,
    )
