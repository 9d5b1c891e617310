"""Erase a lead's personal data (B-40, B-41) and export it (B-49)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from core.domain.decision import Context
from core.domain.erasure import ARTIST, decide_erase, decide_silenced, optout_key
from core.domain.lead import Lead
from core.domain.status import Status
from core.usecases.context import Deployment
from core.usecases.persist import apply
from ports.clock import Clock
from ports.lead_repo import LeadNotFound
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


async def erase_in(uow: UnitOfWork, lead: Lead, ctx: Context, reason: str) -> Lead:
    """Stage the erasure of a locked lead; the caller commits.

    A number that had opted out stays silenced through its keyed hash; the artist's
    erase confirms to the client (addressed before the number goes, B-40).
    """
    if lead.status == Status.OPTOUT:
        key = optout_key(ctx.secret, lead.studio, lead.contact)
        await uow.privacy.remember_optout(key, lead.studio, ctx.now)
    thread = await uow.leads.thread(lead.id)
    received = {e.message_id for e in thread if e.direction == "in" and e.message_id}
    await uow.privacy.erase(lead.id, received)
    confirm = reason == ARTIST and lead.status != Status.OPTOUT
    decision = decide_erase(lead, ctx, reason, confirm=confirm)
    await apply(uow, decision, ctx.now)
    return decision.lead


async def erased_optouts(uow: UnitOfWork, leads: Sequence[tuple[Lead, Context]]) -> set[str]:
    """The ids of the fresh leads among ``leads`` whose number opted out before it was
    erased (B-40): one look-up for them all (a group commit's new leads)."""
    keys = {optout_key(ctx.secret, lead.studio, lead.contact): lead.id
            for lead, ctx in leads if lead.version == 0 and lead.status == Status.NEW}
    if not keys:
        return set()
    return {keys[key] for key in await uow.privacy.opted_out_among(list(keys))}


async def silence(uow: UnitOfWork, lead: Lead, ctx: Context) -> Lead:
    """Stage a fresh lead of such a number as OPTOUT (B-40); the caller commits."""
    decision = decide_silenced(lead, ctx)
    await apply(uow, decision, ctx.now)
    return decision.lead


async def silence_erased_optout(uow: UnitOfWork, lead: Lead, ctx: Context) -> Lead:
    """A fresh lead of a number that opted out before it was erased starts as OPTOUT (B-40)."""
    if lead.id in await erased_optouts(uow, [(lead, ctx)]):
        return await silence(uow, lead, ctx)
    return lead


@dataclass(frozen=True, slots=True)
class Erased:
    lead: Lead
    already: bool  # erased before: nothing changed this time


class EraseLead:
    """The artist's erase action; idempotent (a second call changes nothing)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, deployment: Deployment) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment

    async def __call__(self, lead_id: str, studio: str | None = None) -> Erased | None:
        """None when there is no such lead (of ``studio``, if given: B-46)."""
        now = self._clock.now()
        async with self._uow() as uow:
            try:
                lead = await uow.leads.lock_by_id(lead_id)
            except LeadNotFound:
                return None
            if studio is not None and lead.studio != studio:
                return None
            if lead.times.erased is not None:
                return Erased(lead, already=True)
            erased = await erase_in(uow, lead, self._deployment.context(lead.studio, now), ARTIST)
            await uow.commit()
        return Erased(erased, already=False)


class ExportLead:
    """Every piece of personal data held for a lead, as one JSON-ready document (B-49)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, lead_id: str, studio: str | None = None) -> dict[str, Any] | None:
        """None when there is no such lead (of ``studio``, if given: B-46)."""
        async with self._uow() as uow:
            lead = await uow.leads.get(lead_id)
            if lead is None or (studio is not None and lead.studio != studio):
                return None
            document = {
                "lead": lead,
                "answers": await uow.leads.answers(lead_id),
                "thread": await uow.leads.thread(lead_id),
                "transitions": await uow.leads.transitions(lead_id),
                "events": await uow.events(lead_id=lead_id),
                "messages": [
                    {"id": item.id, "state": item.state, "created_at": item.created_at,
                     "message": item.message}
                    for item in await uow.outbox.for_lead(lead_id)
                ],
                "bookings": await uow.privacy.bookings(lead_id),
            }
        exported: dict[str, Any] = msgspec.to_builtins(document, builtin_types=(datetime,))
        return exported
