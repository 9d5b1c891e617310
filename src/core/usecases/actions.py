"""The artist's actions: lock the lead, decide, apply, commit with the outbox (B-24).

One use case for the admin API, the one-tap links and ``inkbook chat`` (and the
inbox): ``act(lead_id, action, actor)``, or one of its named shortcuts.
Approve opens the deposit checkout before deciding; release hands the lead's
held messages back to the relay in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.actions import (
    Action,
    Approve,
    Reject,
    Release,
    Reply,
    Resume,
    changes_nothing,
    checkout_due,
    decide_action,
)
from core.domain.outbound import CLIENT
from core.usecases.checkout import open_checkout
from core.usecases.context import Deployment
from core.usecases.persist import apply
from ports.clock import Clock
from ports.lead_repo import LeadNotFound
from ports.outbox import HELD
from ports.payments import Payments
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

ARTIST = "artist"


@dataclass(frozen=True, slots=True)
class ActionResult:
    lead_id: str
    status: str  # the lead's status afterwards (or as it stands, when nothing changed)
    changed: bool = False
    refusal: str | None = None  # why the action is not possible now (HTTP 409)
    used: bool = False  # a one-tap link that was used before


class ArtistActions:
    """Raises ``LeadNotFound`` for an unknown lead and ``PaymentsError`` when approve
    cannot open a checkout; nothing is stored then."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, deployment: Deployment, payments: Payments
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._payments = payments

    async def act(
        self,
        lead_id: str,
        action: Action,
        actor: str = ARTIST,
        claim: str | None = None,
        studio: str | None = None,
    ) -> ActionResult:
        """``studio``: the caller sees that studio's leads only (a studio key, B-46); None: all."""
        now = self._clock.now()
        async with self._uow() as uow:
            if claim is not None and not await uow.claim(claim):
                lead = await uow.leads.get(lead_id)
                return ActionResult(lead_id, lead.status if lead else "", used=True)
            lead = await uow.leads.lock_by_id(lead_id)
            if studio is not None and lead.studio != studio:
                raise LeadNotFound(lead_id)  # another studio's lead does not exist for this caller
            ctx = self._deployment.context(lead.studio, now)
            if isinstance(action, Release):
                action = Release(held=await _held(uow, lead_id))
            due = checkout_due(lead, action, ctx)
            if due is not None:
                checkout = await open_checkout(self._payments, lead, due, ctx.public_url)
                action = Approve(checkout=checkout)
            decision = decide_action(lead, action, ctx, actor)
            if decision.refusal is not None:
                return ActionResult(lead_id, lead.status, refusal=decision.refusal)
            if changes_nothing(decision):
                return ActionResult(lead_id, lead.status)
            await apply(uow, decision, now)
            if isinstance(action, Release):
                await uow.outbox.release_held(lead_id)
            await uow.commit()
        return ActionResult(lead_id, decision.lead.status, changed=True)

    async def approve(self, lead_id: str, actor: str = ARTIST) -> ActionResult:
        return await self.act(lead_id, Approve(), actor)

    async def reject(self, lead_id: str, actor: str = ARTIST) -> ActionResult:
        return await self.act(lead_id, Reject(), actor)

    async def resume(self, lead_id: str, actor: str = ARTIST) -> ActionResult:
        return await self.act(lead_id, Resume(), actor)

    async def reply(self, lead_id: str, text: str, actor: str = ARTIST) -> ActionResult:
        return await self.act(lead_id, Reply(text), actor)

    async def release(self, lead_id: str, actor: str = ARTIST) -> ActionResult:
        return await self.act(lead_id, Release(), actor)


async def _held(uow: UnitOfWork, lead_id: str) -> int:
    items = await uow.outbox.for_lead(lead_id)
    return sum(1 for item in items if item.state == HELD and item.message.audience == CLIENT)
