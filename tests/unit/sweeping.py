"""Helpers of the sweeper and erasure tests (issue 10), on any store the harness has."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.domain.lead import Lead
from core.domain.outbound import plain_text
from core.domain.status import Transition
from core.usecases.erase import EraseLead, ExportLead
from core.usecases.sweep import Sweep
from tests.unit.harness import CLIENT, Harness

NAME = "Zoë Quixote"


def sweeper(harness: Harness) -> Sweep:
    return Sweep(harness.store.uow, harness.clock, harness.deployment)


def eraser(harness: Harness) -> EraseLead:
    return EraseLead(harness.store.uow, harness.clock, harness.deployment)


def exporter(harness: Harness) -> ExportLead:
    return ExportLead(harness.store.uow)


async def put(harness: Harness, lead: Lead, entered: datetime | None = None,
              source: str = "PENDING_APPROVAL") -> Lead:
    """Save ``lead`` as a flow would, with the transition into its status at ``entered``."""
    async with harness.store.uow() as uow:
        await uow.leads.save(lead)
        if entered is not None:
            move = Transition(source=source, target=lead.status, reason="test", actor="artist",
                              at=entered)
            await uow.leads.add_transitions(lead.id, [move])
        await uow.commit()
    return lead


async def named_conversation(harness: Harness, contact: str = CLIENT) -> Lead:
    """A client who said hello, answered with their name in it, and is known by name."""
    # Message ids that carry the number, as WhatsApp's do (base64 inside "wamid.").
    await harness.say("hi", contact=contact, message_id=f"wamid.{contact}.1")
    await harness.say(f"A swallow for my gran, from {NAME}", contact=contact,
                      message_id=f"wamid.{contact}.2")
    await harness.deliver()
    lead = await harness.lead(contact)
    return await put(harness, msgspec.structs.replace(lead, name=NAME))


def texts_to(harness: Harness, to: str = CLIENT) -> list[str]:
    return [plain_text(m.intent) for m in harness.messenger.sent if m.to == to]


async def stored(harness: Harness) -> Any:
    """Every row of the store as one text (for "nothing findable" searches)."""
    store = harness.store
    if hasattr(store, "tables"):  # the memory store
        t = store.tables
        rows = [t.leads, t.answers, t.thread, t.transitions, sorted(t.claims), t.events,
                {k: v.item for k, v in t.outbox.items()}, sorted(t.optouts)]
        return msgspec.json.encode(rows).decode()
    import sqlalchemy as sa

    from adapters.sql.tables import metadata

    found = []
    async with store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in (await connection.execute(sa.select(table))).all():
                found.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(found)
